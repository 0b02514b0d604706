// 进销存汇总表 (GET /api/v1/reports/stock-summary/): opening, in and out by kind, closing per SKU,
// warehouse × SKU, warehouse, category or brand over a period. A quantity of a SKU row opens the
// stock ledger behind it (same SKU, warehouse, period and move type); a category, brand or
// warehouse row opens the summary per SKU filtered by it.
import { useMemo } from "react";
import { Link } from "react-router";
import { Alert, Card, Table, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { StockSummary, StockSummaryRow, SummaryFigures } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { GroupingSelect, PeriodPicker, useGrouping, useReportPeriod } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { ReportFilters, useReportQuery } from "./ReportFilters";
import { barChart, chartHeight, toNumber } from "./charts";
import type { MessageKey } from "../../i18n/keys";

type FlowKey = keyof StockSummaryRow["flows"];
const GROUPINGS = ["sku", "warehouse_sku", "warehouse", "category", "brand"] as const;
type Grouping = (typeof GROUPINGS)[number];
const GROUP_LABELS: Record<Grouping, MessageKey> = {
  sku: "reports.groupSku",
  warehouse_sku: "reports.groupWarehouseSku",
  warehouse: "reports.groupWarehouse",
  category: "reports.groupCategory",
  brand: "reports.groupBrand",
};
const CHART_ROWS = 15;

function rowKey(row: StockSummaryRow): string {
  return [row.warehouse, row.sku, row.category, row.brand].join("-");
}

/** The ledger list of one SKU row's moves in the period, optionally of one move type. */
function ledgerLink(row: StockSummaryRow, from: string, to: string, moveTypes?: string[]): string | null {
  if (row.sku === null || row.sku === undefined) return null;
  const params = new URLSearchParams({
    sku: String(row.sku),
    date_from: `${from}T00:00:00`,
    date_to: `${to}T23:59:59.999999`,
  });
  if (row.warehouse) params.set("warehouse", String(row.warehouse));
  if (moveTypes && moveTypes.length === 1) params.set("move_type", moveTypes[0]);
  return `/inventory/moves?${params.toString()}`;
}

export function StockSummaryPage() {
  const { t } = useTranslation();
  const { query } = useReportQuery();
  // This month so far in the company's zone, not the browser's (a UTC laptop at 05:00 in
  // Shanghai would otherwise leave today out).
  const { today, from, to } = useReportPeriod();
  const groupBy = useGrouping(GROUPINGS);
  const fullQuery = { ...query, date_from: from, date_to: to, group_by: groupBy };
  const list = useList("/api/v1/reports/stock-summary/", fullQuery);
  const data = list.query.data as StockSummary | undefined;
  const showCost = data?.show_cost ?? false;
  const kinds = data?.kinds ?? [];
  // A kind's column appears when its moves appear (sales, purchasing… once those modules post).
  const shown = kinds.filter((kind) => {
    const total = data?.totals.flows[kind.key as FlowKey];
    return total && (toNumber(total.quantity) !== 0 || toNumber(total.value) !== 0);
  });

  const drill = (row: StockSummaryRow, text: string, moveTypes?: string[]) => {
    const link = ledgerLink(row, from, to, moveTypes);
    if (link) return <Link to={link}>{text}</Link>;
    const key = groupBy === "warehouse_sku" ? null : groupBy === "sku" ? null : groupBy;
    const id = key === "warehouse" ? row.warehouse : key === "category" ? row.category : key === "brand" ? row.brand : null;
    if (!key || !id) return text;
    const params = new URLSearchParams({ date_from: from, date_to: to, group_by: "sku", [key]: String(id) });
    return <Link to={`/reports/stock-summary?${params.toString()}`}>{text}</Link>;
  };

  const figure = (
    title: string,
    quantity: (r: SummaryFigures) => string,
    value: (r: SummaryFigures) => string | null | undefined,
    key: string,
    moveTypes?: string[],
  ): ColumnsType<StockSummaryRow>[number] => ({
    title,
    key,
    children: [
      {
        title: t("reports.quantity"),
        key: `${key}-q`,
        align: "right" as const,
        width: 90,
        render: (_v: unknown, row: StockSummaryRow) => drill(row, formatQty(quantity(row)), moveTypes),
      },
      ...(showCost
        ? [
            {
              title: t("reports.value"),
              key: `${key}-v`,
              align: "right" as const,
              width: 100,
              render: (_v: unknown, row: StockSummaryRow) => formatAmount(value(row)),
            },
          ]
        : []),
    ],
  });

  const groupColumns: ColumnsType<StockSummaryRow> = [];
  if (groupBy === "warehouse_sku" || groupBy === "warehouse")
    groupColumns.push({ title: t("reports.warehouse"), key: "warehouse", fixed: "left", width: 120, render: (_v, r) => `${r.warehouse_code ?? ""} ${r.warehouse_name ?? ""}` });
  if (groupBy === "sku" || groupBy === "warehouse_sku")
    groupColumns.push({
      title: t("reports.sku"),
      key: "sku",
      fixed: "left",
      width: 160,
      render: (_v, r) => (
        <span>
          <Typography.Text strong>{r.sku_code}</Typography.Text> {r.sku_name}
          <Typography.Text type="secondary"> ({r.unit_name})</Typography.Text>
        </span>
      ),
    });
  if (groupBy === "category")
    groupColumns.push({ title: t("reports.category"), key: "category", fixed: "left", width: 140, render: (_v, r) => r.category_name ?? t("reports.uncategorised") });
  if (groupBy === "brand")
    groupColumns.push({ title: t("reports.brand"), key: "brand", fixed: "left", width: 140, render: (_v, r) => r.brand_name ?? t("reports.noBrand") });

  const kindColumn = (key: FlowKey, moveTypes: string[]) =>
    figure(t(`reports.kinds.${key}`), (r) => r.flows[key].quantity, (r) => r.flows[key].value, key, moveTypes);
  const columns: ColumnsType<StockSummaryRow> = [
    ...groupColumns,
    figure(t("reports.opening"), (r) => r.opening_quantity, (r) => r.opening_value, "opening"),
    ...shown.filter((k) => k.direction === "in").map((k) => kindColumn(k.key as FlowKey, k.move_types)),
    figure(t("reports.inTotal"), (r) => r.in_quantity, (r) => r.in_value, "in"),
    ...shown.filter((k) => k.direction === "out").map((k) => kindColumn(k.key as FlowKey, k.move_types)),
    figure(t("reports.outTotal"), (r) => r.out_quantity, (r) => r.out_value, "out"),
    figure(t("reports.closing"), (r) => r.closing_quantity, (r) => r.closing_value, "closing"),
  ];

  const chart = useMemo(() => {
    const rows = (list.rows as StockSummaryRow[]).slice(0, CHART_ROWS);
    const label = (r: StockSummaryRow) =>
      r.sku_code ? `${r.warehouse_code ? `${r.warehouse_code} ` : ""}${r.sku_code}` : r.warehouse_code ?? r.category_name ?? r.brand_name ?? "-";
    const pick = (q: string, v: string | null | undefined) => (showCost ? toNumber(v) : toNumber(q));
    return {
      count: rows.length,
      option: barChart(
        rows.map((r) => ({ label: label(r), values: [pick(r.in_quantity, r.in_value), pick(r.out_quantity, r.out_value)] })),
        [t("reports.inflows"), t("reports.outflows")],
      ),
    };
  }, [list.rows, showCost, t]);

  const totals = data?.totals;

  return (
    <Card
      title={t("reports.summaryTitle")}
      extra={
        <Space wrap>
          <SubscribeButton report="stock-summary" query={fullQuery} />
          <ExportButton url="/api/v1/reports/stock-summary/" query={fullQuery} filename="stock-summary" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters onChange={list.resetPage}>
        <PeriodPicker from={from} to={to} today={today} onChange={list.resetPage} />
        <GroupingSelect groupings={GROUPINGS} labels={GROUP_LABELS} value={groupBy} onChange={list.resetPage} />
      </ReportFilters>
      {data && !showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
      {chart.count > 0 ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t("reports.chartTitle", { count: chart.count })}</Typography.Text>
          <EChart option={chart.option} height={chartHeight(chart.count) + 28 /* the legend */} />
        </div>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("reports.drillHint")}
      </Typography.Paragraph>
      <ReportTable<StockSummaryRow>
        list={list}
        rowKey={rowKey}
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="summary-table"
        summary={() =>
          totals ? (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="summary-totals">
                <Table.Summary.Cell index={0} colSpan={groupColumns.length}>
                  <strong>{t("reports.total")}</strong>
                </Table.Summary.Cell>
                {[
                  totals.opening_quantity,
                  totals.opening_value,
                  ...shown.filter((k) => k.direction === "in").flatMap((k) => [totals.flows[k.key as FlowKey].quantity, totals.flows[k.key as FlowKey].value]),
                  totals.in_quantity,
                  totals.in_value,
                  ...shown.filter((k) => k.direction === "out").flatMap((k) => [totals.flows[k.key as FlowKey].quantity, totals.flows[k.key as FlowKey].value]),
                  totals.out_quantity,
                  totals.out_value,
                  totals.closing_quantity,
                  totals.closing_value,
                ]
                  .filter((_value, index) => showCost || index % 2 === 0)
                  .map((value, index) => (
                    <Table.Summary.Cell key={index} index={index + 1} align="right">
                      <strong>{showCost && index % 2 === 1 ? formatAmount(value) : formatQty(value)}</strong>
                    </Table.Summary.Cell>
                  ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}
