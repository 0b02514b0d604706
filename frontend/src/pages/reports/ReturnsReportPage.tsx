// 退货统计 (GET /api/v1/reports/returns/): posted purchase returns of a period per reason, SKU,
// category, supplier or month — documents, lines, quantity, value at cost and the return rate
// against what was received — with the returns per month as a chart. A quantity opens the return
// lines behind it (GET /api/v1/reports/returns/lines/), each number opens its return.
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Alert, Card, Modal, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import type { Query } from "../../api/http";
import { useList } from "../../api/useList";
import type { ReturnLineRow, ReturnRow, ReturnsReport } from "../../api/contract";
import { EChart } from "../../components/EChart";
import type { MessageKey } from "../../i18n/keys";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { GroupingSelect, PeriodPicker, useGrouping, useReportPeriod } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { PURCHASE_FILTER_KEYS, ReportFilters, useReportQuery } from "./ReportFilters";
import { columnChart, toNumber } from "./charts";

const URL = "/api/v1/reports/returns/";
const GROUPINGS = ["reason", "sku", "category", "supplier", "month"] as const;
type Grouping = (typeof GROUPINGS)[number];
const GROUP_LABELS: Record<Grouping, MessageKey> = {
  reason: "returnsReport.groupReason",
  sku: "reports.groupSku",
  category: "reports.groupCategory",
  supplier: "purchaseReports.groupSupplier",
  month: "purchaseReports.groupMonth",
};

function rowKey(row: ReturnRow): string {
  return [row.reason, row.sku, row.category, row.partner, row.month].join("-");
}

function lastDay(month: string): string {
  const [year, m] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month.slice(0, 7)}-${String(day).padStart(2, "0")}`;
}

/** The filters of the lines behind one row: the report's, and the row's group as a filter. */
function drillQuery(base: Query, groupBy: Grouping, row: ReturnRow, from: string, to: string): Query {
  const query: Query = { ...base, date_from: from, date_to: to };
  if (groupBy === "reason") {
    if (row.reason) query.reason = row.reason;
    else query.no_reason = true;
  }
  if (groupBy === "sku" && row.sku) query.sku = row.sku;
  if (groupBy === "category" && row.category) query.category = row.category;
  if (groupBy === "supplier" && row.partner) query.supplier = row.partner;
  if (groupBy === "month" && row.month) {
    query.date_from = row.month < from ? from : row.month;
    const end = lastDay(row.month);
    query.date_to = end > to ? to : end;
  }
  return query;
}

function LinesModal({ title, query, onClose }: { title: string; query: Query; onClose: () => void }) {
  const { t } = useTranslation();
  const list = useList(`${URL}lines/`, query);
  const showCost = (list.query.data as { show_cost: boolean } | undefined)?.show_cost ?? false;
  return (
    <Modal open title={title} footer={null} onCancel={onClose} width={900}>
      <ReportTable<ReturnLineRow>
        list={list}
        rowKey="id"
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        data-testid="return-lines"
        columns={[
          { title: t("purchaseReports.date"), dataIndex: "date", width: 100 },
          {
            title: t("returnsReport.document"),
            key: "doc",
            width: 170,
            render: (_v, r) => <Link to={`/purchasing/returns/${r.document_id}`}>{r.document_number}</Link>,
          },
          { title: t("reports.supplier"), key: "p", render: (_v, r) => `${r.partner_code ?? ""} ${r.partner_name ?? ""}` },
          { title: t("reports.warehouse"), key: "w", render: (_v, r) => r.warehouse_code },
          { title: t("reports.sku"), key: "s", render: (_v, r) => `${r.sku_code} ${r.sku_name}` },
          { title: t("batchTrace.batch"), dataIndex: "batch_no", render: (value: string | null) => value ?? "—" },
          { title: t("returnsReport.reason"), key: "r", render: (_v, r) => r.reason || t("returnsReport.noReason") },
          { title: t("reports.quantity"), key: "q", align: "right", render: (_v, r) => formatQty(r.quantity) },
          ...(showCost
            ? [{ title: t("reports.value"), key: "v", align: "right" as const, render: (_v: unknown, r: ReturnLineRow) => formatAmount(r.value) }]
            : []),
        ]}
      />
    </Modal>
  );
}

export function ReturnsReportPage() {
  const { t } = useTranslation();
  const { query } = useReportQuery(PURCHASE_FILTER_KEYS);
  const { today, from, to } = useReportPeriod();
  const groupBy = useGrouping(GROUPINGS);
  const fullQuery = { ...query, date_from: from, date_to: to, group_by: groupBy };
  const list = useList(URL, fullQuery);
  const data = list.query.data as ReturnsReport | undefined;
  const showCost = data?.show_cost ?? false;
  const [drill, setDrill] = useState<{ title: string; query: Query } | null>(null);

  const label = (r: ReturnRow): string => {
    if (groupBy === "reason") return r.reason || t("returnsReport.noReason");
    if (groupBy === "sku") return `${r.sku_code} ${r.sku_name}`;
    if (groupBy === "category") return r.category_name ?? t("reports.uncategorised");
    if (groupBy === "supplier") return `${r.partner_code} ${r.partner_name}`;
    return r.month?.slice(0, 7) ?? "";
  };
  const open = (r: ReturnRow) => setDrill({ title: t("returnsReport.linesTitle", { name: label(r) }), query: drillQuery(query, groupBy, r, from, to) });
  const percent = (value: string | null | undefined) => (value === null || value === undefined ? "—" : `${value}%`);
  const columns: ColumnsType<ReturnRow> = [
    { title: t(GROUP_LABELS[groupBy]), key: "group", fixed: "left", width: 200, render: (_v, r) => label(r) },
    { title: t("returnsReport.documents"), dataIndex: "documents", align: "right", width: 80 },
    { title: t("purchaseReports.lines"), dataIndex: "lines", align: "right", width: 70 },
    {
      title: t("returnsReport.returned"),
      key: "q",
      align: "right",
      width: 110,
      render: (_v, r) => (
        <Typography.Link onClick={() => open(r)} data-testid="returned-link">
          {formatQty(r.quantity)}
          {groupBy === "sku" ? ` ${r.unit_name ?? ""}` : ""}
        </Typography.Link>
      ),
    },
    ...(showCost
      ? [{ title: t("returnsReport.value"), key: "v", align: "right" as const, width: 110, render: (_v: unknown, r: ReturnRow) => formatAmount(r.value) }]
      : []),
    ...(groupBy === "reason"
      ? []
      : [
          { title: t("returnsReport.received"), key: "b", align: "right" as const, width: 100, render: (_v: unknown, r: ReturnRow) => formatQty(r.base_quantity ?? "0") },
          { title: t("returnsReport.rate"), key: "rate", align: "right" as const, width: 90, render: (_v: unknown, r: ReturnRow) => percent(r.return_rate) },
          ...(showCost
            ? [{ title: t("returnsReport.rateByValue"), key: "rv", align: "right" as const, width: 110, render: (_v: unknown, r: ReturnRow) => percent(r.return_rate_by_value) }]
            : []),
        ]),
  ];

  const chart = useMemo(() => {
    const months = data?.by_month ?? [];
    return {
      count: months.length,
      option: columnChart(
        months.map((m) => m.month.slice(0, 7)),
        months.map((m) => (showCost ? toNumber(m.value) : toNumber(m.quantity))),
        showCost ? t("returnsReport.value") : t("returnsReport.returned"),
      ),
    };
  }, [data, showCost, t]);

  return (
    <Card
      title={t("returnsReport.title")}
      extra={
        <Space wrap>
          <SubscribeButton report="returns" query={fullQuery} />
          <ExportButton url={URL} query={fullQuery} filename="returns" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters keys={PURCHASE_FILTER_KEYS} onChange={list.resetPage}>
        <PeriodPicker from={from} to={to} today={today} onChange={list.resetPage} />
        <GroupingSelect groupings={GROUPINGS} labels={GROUP_LABELS} value={groupBy} onChange={list.resetPage} />
      </ReportFilters>
      {data && !showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
      {data?.totals ? (
        <Typography.Paragraph data-testid="returns-totals">
          {t("returnsReport.returned")}: <strong>{formatQty(data.totals.quantity)}</strong> · {t("purchaseReports.lines")}:{" "}
          <strong>{data.totals.lines}</strong>
          {showCost ? (
            <>
              {" "}
              · {t("returnsReport.value")}: <strong>{formatAmount(data.totals.value)}</strong>
            </>
          ) : null}
        </Typography.Paragraph>
      ) : null}
      {chart.count > 0 ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t("returnsReport.byMonth")}</Typography.Text>
          <EChart option={chart.option} height={200} />
        </div>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("returnsReport.hint")}
      </Typography.Paragraph>
      <ReportTable<ReturnRow>
        list={list}
        rowKey={rowKey}
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="returns-table"
      />
      {drill ? <LinesModal title={drill.title} query={drill.query} onClose={() => setDrill(null)} /> : null}
    </Card>
  );
}
