// 库存周转率 (GET /api/v1/reports/turnover/): per SKU, warehouse, category or brand over a
// period, what was consumed (sales, other stock-outs) against the average stock — turnover and
// days of inventory, by quantity and, with the cost permission, by value. Slowest first; a SKU
// opens the stock summary of that SKU in the same period (the figures behind its turnover).
import { useMemo } from "react";
import { Link } from "react-router";
import { Alert, Card, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { Turnover, TurnoverRow } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { GroupingSelect, PeriodPicker, useGrouping, useReportPeriod } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { ReportFilters, useReportQuery } from "./ReportFilters";
import { barChart, chartHeight, toNumber } from "./charts";
import type { MessageKey } from "../../i18n/keys";

const GROUPINGS = ["sku", "warehouse", "category", "brand"] as const;
type Grouping = (typeof GROUPINGS)[number];
const GROUP_LABELS: Record<Grouping, MessageKey> = {
  sku: "reports.groupSku",
  warehouse: "reports.groupWarehouse",
  category: "reports.groupCategory",
  brand: "reports.groupBrand",
};
const CHART_ROWS = 15;

function rowKey(row: TurnoverRow): string {
  return [row.warehouse, row.sku, row.category, row.brand].join("-");
}

function label(row: TurnoverRow): string {
  return row.sku_code ?? row.warehouse_code ?? row.category_name ?? row.brand_name ?? "-";
}

export function TurnoverPage() {
  const { t } = useTranslation();
  const { query } = useReportQuery();
  const { today, from, to } = useReportPeriod();
  const groupBy = useGrouping(GROUPINGS);
  const fullQuery = { ...query, date_from: from, date_to: to, group_by: groupBy };
  const list = useList("/api/v1/reports/turnover/", fullQuery);
  const data = list.query.data as Turnover | undefined;
  const showCost = data?.show_cost ?? false;

  const summaryLink = (row: TurnoverRow, text: string) => {
    const params = new URLSearchParams({ date_from: from, date_to: to });
    if (row.sku) params.set("sku", String(row.sku));
    else if (row.warehouse) params.set("warehouse", String(row.warehouse));
    else if (row.category) params.set("category", String(row.category));
    else if (row.brand) params.set("brand", String(row.brand));
    else return text;
    return <Link to={`/reports/stock-summary?${params.toString()}`}>{text}</Link>;
  };

  const pair = (
    title: string,
    quantity: (r: TurnoverRow) => string,
    value: (r: TurnoverRow) => string | null | undefined,
    key: string,
  ): ColumnsType<TurnoverRow>[number] => ({
    title,
    key,
    children: [
      { title: t("reports.quantity"), key: `${key}-q`, align: "right" as const, width: 90, render: (_v: unknown, r: TurnoverRow) => formatQty(quantity(r)) },
      ...(showCost
        ? [{ title: t("reports.value"), key: `${key}-v`, align: "right" as const, width: 100, render: (_v: unknown, r: TurnoverRow) => formatAmount(value(r)) }]
        : []),
    ],
  });

  const columns: ColumnsType<TurnoverRow> = [
    {
      title: t(groupBy === "sku" ? "reports.sku" : groupBy === "warehouse" ? "reports.warehouse" : groupBy === "category" ? "reports.category" : "reports.brand"),
      key: "group",
      fixed: "left",
      width: 170,
      render: (_v, r) =>
        summaryLink(
          r,
          groupBy === "sku"
            ? `${r.sku_code} ${r.sku_name}`
            : groupBy === "warehouse"
              ? `${r.warehouse_code} ${r.warehouse_name}`
              : groupBy === "category"
                ? r.category_name ?? t("reports.uncategorised")
                : r.brand_name ?? t("reports.noBrand"),
        ),
    },
    pair(t("reports.opening"), (r) => r.opening_quantity, (r) => r.opening_value, "opening"),
    pair(t("reports.closing"), (r) => r.closing_quantity, (r) => r.closing_value, "closing"),
    pair(t("reports.averageStock"), (r) => r.average_quantity, (r) => r.average_value, "average"),
    pair(t("reports.consumed"), (r) => r.consumed_quantity, (r) => r.consumed_value, "consumed"),
    { title: t("reports.turnover"), key: "turnover", align: "right", width: 90, render: (_v, r) => r.turnover ?? "—" },
    { title: t("reports.daysOfInventory"), key: "days", align: "right", width: 100, render: (_v, r) => r.days_of_inventory ?? "—" },
    ...(showCost
      ? [
          { title: t("reports.turnoverByValue"), key: "turnover-v", align: "right" as const, width: 110, render: (_v: unknown, r: TurnoverRow) => r.turnover_by_value ?? "—" },
        ]
      : []),
  ];

  const chart = useMemo(() => {
    // the rows with a turnover figure: a row of 0 (nothing consumed) draws no bar, and a chart of
    // only those would be blank
    const rows = (list.rows as TurnoverRow[]).filter((r) => toNumber(r.turnover) > 0).slice(0, CHART_ROWS);
    return {
      count: rows.length,
      option: barChart(rows.map((r) => ({ label: label(r), values: [toNumber(r.turnover)] })), [t("reports.turnover")]),
    };
  }, [list.rows, t]);

  const totals = data?.totals;

  return (
    <Card
      title={t("reports.turnoverTitle")}
      extra={
        <Space wrap>
          <SubscribeButton report="turnover" query={fullQuery} />
          <ExportButton url="/api/v1/reports/turnover/" query={fullQuery} filename="turnover" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters onChange={list.resetPage}>
        <PeriodPicker from={from} to={to} today={today} onChange={list.resetPage} />
        <GroupingSelect groupings={GROUPINGS} labels={GROUP_LABELS} value={groupBy} onChange={list.resetPage} />
      </ReportFilters>
      {data && !showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("reports.turnoverHint")}
      </Typography.Paragraph>
      {totals ? (
        <Typography.Paragraph data-testid="turnover-totals">
          {t("reports.turnover")}: <strong>{totals.turnover ?? "—"}</strong> · {t("reports.daysOfInventory")}:{" "}
          <strong>{totals.days_of_inventory ?? "—"}</strong>
        </Typography.Paragraph>
      ) : null}
      {chart.count > 0 ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t("reports.turnoverChart", { count: chart.count })}</Typography.Text>
          <EChart option={chart.option} height={chartHeight(chart.count)} />
        </div>
      ) : list.rows.length > 0 ? (
        <Typography.Paragraph type="secondary" data-testid="turnover-chart-empty">
          {t("reports.turnoverChartEmpty")}
        </Typography.Paragraph>
      ) : null}
      <ReportTable<TurnoverRow>
        list={list}
        rowKey={rowKey}
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="turnover-table"
      />
    </Card>
  );
}
