// 采购分析 (GET /api/v1/reports/purchases/): posted purchase receipts of a period per supplier,
// SKU, category or month — receipts, lines, value at net cost, rejected value, share — with the
// value per month as a chart. A SKU row opens its purchase price trend (one line per supplier).
import { useMemo, useState } from "react";
import { Alert, Card, Modal, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { useList } from "../../api/useList";
import type { PriceTrendRow, PurchaseAnalysis, PurchaseRow } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { GroupingSelect, PeriodPicker, useGrouping, useReportPeriod } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { PURCHASE_FILTER_KEYS, ReportFilters, useReportQuery } from "./ReportFilters";
import { columnChart, lineChart, toNumber } from "./charts";
import type { MessageKey } from "../../i18n/keys";

const GROUPINGS = ["supplier", "sku", "category", "month"] as const;
type Grouping = (typeof GROUPINGS)[number];
const GROUP_LABELS: Record<Grouping, MessageKey> = {
  supplier: "purchaseReports.groupSupplier",
  sku: "reports.groupSku",
  category: "reports.groupCategory",
  month: "purchaseReports.groupMonth",
};

function rowKey(row: PurchaseRow): string {
  return [row.supplier, row.sku, row.category, row.month].join("-");
}

function PriceTrendModal({ sku, title, from, to, onClose }: { sku: number; title: string; from: string; to: string; onClose: () => void }) {
  const { t } = useTranslation();
  const trend = useQuery({
    queryKey: ["/api/v1/reports/purchase-price-trend/", sku, from, to],
    queryFn: () =>
      ok(client.GET("/api/v1/reports/purchase-price-trend/", { params: { query: { sku, date_from: from, date_to: to, page_size: 500 } } })),
  });
  const rows = trend.data?.results ?? [];
  const option = useMemo(
    () =>
      lineChart(
        rows
          .filter((r) => r.unit_cost !== null)
          .map((r) => ({ series: `${r.supplier_code} ${r.supplier_name}`, date: r.date, value: toNumber(r.unit_cost) })),
      ),
    [rows],
  );
  return (
    <Modal open title={t("purchaseReports.priceTrendTitle", { sku: title })} footer={null} onCancel={onClose} width={720}>
      {trend.data && !trend.data.show_cost ? <Alert type="info" showIcon message={t("reports.noCostHint")} /> : null}
      {rows.length > 0 && trend.data?.show_cost ? <EChart option={option} height={260} /> : null}
      <ReportTable<PriceTrendRow>
        list={{ query: trend, rows }}
        rowKey={(r) => `${r.receipt_number}-${r.date}-${r.supplier}`}
        size="small"
        pagination={false}
        scroll={{ y: 240 }}
        data-testid="price-trend-table"
        columns={[
          { title: t("purchaseReports.date"), dataIndex: "date", width: 110 },
          { title: t("purchaseReports.receipt"), dataIndex: "receipt_number", width: 170 },
          { title: t("reports.supplier"), key: "supplier", render: (_v, r) => `${r.supplier_code} ${r.supplier_name}` },
          { title: t("reports.quantity"), key: "q", align: "right", render: (_v, r) => formatQty(r.quantity) },
          { title: t("purchaseReports.unitCost"), key: "c", align: "right", render: (_v, r) => r.unit_cost ?? "—" },
        ]}
      />
    </Modal>
  );
}

export function PurchaseAnalysisPage() {
  const { t } = useTranslation();
  const { query } = useReportQuery(PURCHASE_FILTER_KEYS);
  const { today, from, to } = useReportPeriod();
  const groupBy = useGrouping(GROUPINGS);
  const fullQuery = { ...query, date_from: from, date_to: to, group_by: groupBy };
  const list = useList("/api/v1/reports/purchases/", fullQuery);
  const data = list.query.data as PurchaseAnalysis | undefined;
  const showCost = data?.show_cost ?? false;
  const [trendOf, setTrendOf] = useState<PurchaseRow | null>(null);

  const groupColumn: ColumnsType<PurchaseRow>[number] = {
    title: t(groupBy === "sku" ? "reports.sku" : groupBy === "category" ? "reports.category" : groupBy === "month" ? "purchaseReports.month" : "reports.supplier"),
    key: "group",
    fixed: "left",
    width: 200,
    render: (_v, r) => {
      if (groupBy === "supplier") return `${r.supplier_code} ${r.supplier_name}`;
      if (groupBy === "category") return r.category_name ?? t("reports.uncategorised");
      if (groupBy === "month") return r.month?.slice(0, 7);
      return (
        <Typography.Link onClick={() => setTrendOf(r)} data-testid="price-trend-link">
          {r.sku_code} {r.sku_name}
        </Typography.Link>
      );
    },
  };
  const columns: ColumnsType<PurchaseRow> = [
    groupColumn,
    { title: t("purchaseReports.receipts"), dataIndex: "receipts", align: "right", width: 80 },
    { title: t("purchaseReports.lines"), dataIndex: "lines", align: "right", width: 80 },
    ...(groupBy === "sku"
      ? [
          { title: t("reports.quantity"), key: "q", align: "right" as const, width: 100, render: (_v: unknown, r: PurchaseRow) => `${formatQty(r.quantity ?? "0")} ${r.unit_name ?? ""}` },
          ...(showCost ? [{ title: t("purchaseReports.averageCost"), key: "avg", align: "right" as const, width: 100, render: (_v: unknown, r: PurchaseRow) => r.average_cost ?? "—" }] : []),
        ]
      : []),
    ...(showCost
      ? [
          { title: t("purchaseReports.value"), key: "v", align: "right" as const, width: 120, render: (_v: unknown, r: PurchaseRow) => formatAmount(r.value) },
          { title: t("purchaseReports.rejectedValue"), key: "rv", align: "right" as const, width: 110, render: (_v: unknown, r: PurchaseRow) => formatAmount(r.rejected_value) },
          { title: t("purchaseReports.share"), key: "s", align: "right" as const, width: 80, render: (_v: unknown, r: PurchaseRow) => (r.share === null ? "—" : `${r.share}%`) },
        ]
      : []),
  ];

  const chart = useMemo(() => {
    const months = data?.by_month ?? [];
    const values = months.map((m) => (showCost ? toNumber(m.value) : m.lines));
    return {
      count: months.length,
      option: columnChart(
        months.map((m) => m.month.slice(0, 7)),
        values,
        showCost ? t("purchaseReports.value") : t("purchaseReports.lines"),
      ),
    };
  }, [data, showCost, t]);


  return (
    <Card
      title={t("purchaseReports.analysisTitle")}
      extra={
        <Space wrap>
          <SubscribeButton report="purchases" query={fullQuery} />
          <ExportButton url="/api/v1/reports/purchases/" query={fullQuery} filename="purchases" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters keys={PURCHASE_FILTER_KEYS} onChange={list.resetPage}>
        <PeriodPicker from={from} to={to} today={today} onChange={list.resetPage} />
        <GroupingSelect groupings={GROUPINGS} labels={GROUP_LABELS} value={groupBy} onChange={list.resetPage} />
      </ReportFilters>
      {data && !showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
      {data?.totals && showCost ? (
        <Typography.Paragraph data-testid="purchase-totals">
          {t("purchaseReports.value")}: <strong>{formatAmount(data.totals.value)}</strong> · {t("purchaseReports.rejectedValue")}:{" "}
          <strong>{formatAmount(data.totals.rejected_value)}</strong> · {t("purchaseReports.lines")}: <strong>{data.totals.lines}</strong>
        </Typography.Paragraph>
      ) : null}
      {chart.count > 0 ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t("purchaseReports.byMonth")}</Typography.Text>
          <EChart option={chart.option} height={200} />
        </div>
      ) : null}
      <ReportTable<PurchaseRow>
        list={list}
        rowKey={rowKey}
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="purchases-table"
      />
      {trendOf?.sku ? (
        <PriceTrendModal
          sku={trendOf.sku}
          title={`${trendOf.sku_code} ${trendOf.sku_name}`}
          from={from}
          to={to}
          onClose={() => setTrendOf(null)}
        />
      ) : null}
    </Card>
  );
}
