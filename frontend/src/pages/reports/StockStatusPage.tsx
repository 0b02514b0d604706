// 库存现状 (GET /api/v1/reports/stock-status/ and .../ageing/): on hand, reserved, available,
// in transit, on order, value and days of cover per warehouse × SKU or SKU, with the rows below safety
// stock, above max stock or without outflow for N days; value by category and warehouse; the
// ageing of the stock by days since receipt. A SKU opens its ledger.
import { useMemo } from "react";
import { Link } from "react-router";
import { Alert, Card, Col, Grid, InputNumber, Row, Select, Space, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useList } from "../../api/useList";
import type { Expiring, ExpiringRow, StockAgeing, StockAgeingRow, StockStatus, StockStatusRow } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { ReportTable } from "./ReportTable";
import { ReportFilters, useReportQuery } from "./ReportFilters";
import { barChart, chartHeight, toNumber } from "./charts";
import type { MessageKey } from "../../i18n/keys";

const ONLY = ["below_safety_stock", "above_max_stock", "no_outflow"] as const;
const ONLY_LABELS: Record<(typeof ONLY)[number], MessageKey> = {
  below_safety_stock: "reports.belowSafety",
  above_max_stock: "reports.aboveMax",
  no_outflow: "reports.noOutflow",
};

function skuCell(row: { sku: number; sku_code: string; sku_name: string; warehouse?: number | null }) {
  const params = new URLSearchParams({ sku: String(row.sku) });
  if (row.warehouse) params.set("warehouse", String(row.warehouse));
  return (
    <Link to={`/inventory/moves?${params.toString()}`}>
      <Typography.Text strong>{row.sku_code}</Typography.Text> {row.sku_name}
    </Link>
  );
}

function warehouseColumn<T extends { warehouse?: number | null; warehouse_code?: string | null; warehouse_name?: string | null }>(
  t: TFunction,
): ColumnsType<T> {
  return [{ title: t("reports.warehouse"), key: "warehouse", width: 120, render: (_v, r) => `${r.warehouse_code ?? ""} ${r.warehouse_name ?? ""}` }];
}

function bucketTitles(t: TFunction, days: number[]): string[] {
  const titles: string[] = [];
  let low = 0;
  for (const high of days) {
    titles.push(t("reports.bucket", { low, high }));
    low = high + 1;
  }
  titles.push(t("reports.bucketOver", { days: days[days.length - 1] ?? 0 }));
  return titles;
}

function StatusTab({ query, groupBy }: { query: Record<string, number | string | undefined>; groupBy: string }) {
  const { t, i18n } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false; // a phone: the charts' labels must not collide
  const { filters } = useReportQuery();
  const only = filters.text("only");
  const days = filters.number("no_outflow_days") ?? 90;
  const fullQuery = { ...query, group_by: groupBy, only, no_outflow_days: days };
  const list = useList("/api/v1/reports/stock-status/", fullQuery);
  const data = list.query.data as StockStatus | undefined;
  const showCost = data?.show_cost ?? false;
  const charts = useMemo(() => {
    const pick = (r: { on_hand: string; value?: string | null }) => (showCost ? toNumber(r.value) : toNumber(r.on_hand));
    const name = (r: { code?: string | null; name?: string | null }) => (r.name ? `${r.code ?? ""} ${r.name}` : t("reports.uncategorised"));
    const categories = (data?.by_category ?? []).slice(0, 15);
    const warehouses = (data?.by_warehouse ?? []).slice(0, 15);
    const series = [showCost ? t("reports.value") : t("reports.onHand")];
    const layout = { narrow, language: i18n.language };
    return {
      categories: { count: categories.length, option: barChart(categories.map((r) => ({ label: name(r), values: [pick(r)] })), series, layout) },
      warehouses: { count: warehouses.length, option: barChart(warehouses.map((r) => ({ label: name(r), values: [pick(r)] })), series, layout) },
    };
  }, [data, showCost, t, narrow, i18n.language]);

  const columns: ColumnsType<StockStatusRow> = [
    ...(groupBy === "warehouse_sku" ? warehouseColumn<StockStatusRow>(t) : []),
    { title: t("reports.sku"), key: "sku", width: 180, render: (_v, r) => skuCell(r) },
    { title: t("reports.unit"), dataIndex: "unit_name", width: 60 },
    { title: t("reports.onHand"), dataIndex: "on_hand", align: "right", width: 80, render: formatQty },
    { title: t("reports.reserved"), dataIndex: "reserved", align: "right", width: 80, render: formatQty },
    { title: t("reports.available"), dataIndex: "available", align: "right", width: 80, render: formatQty },
    { title: t("reports.inTransit"), dataIndex: "in_transit", align: "right", width: 80, render: formatQty },
    { title: t("reports.onOrder"), dataIndex: "on_order", align: "right", width: 80, render: formatQty },
    ...(showCost ? [{ title: t("reports.value"), dataIndex: "value", align: "right" as const, width: 100, render: formatAmount }] : []),
    { title: t("reports.demand30"), dataIndex: "demand_30d", align: "right", width: 90, render: formatQty },
    { title: t("reports.daysOfCover"), dataIndex: "days_of_cover", align: "right", width: 90, render: (v: string | null) => v ?? "-" },
    {
      title: t("reports.flags"),
      key: "flags",
      width: 150,
      render: (_v, r) => (
        <Space size={2} wrap>
          {r.below_safety_stock ? <Tag color="red">{t("reports.belowSafety")}</Tag> : null}
          {r.above_max_stock ? <Tag color="orange">{t("reports.aboveMax")}</Tag> : null}
          {r.no_outflow ? <Tag>{t("reports.noOutflow")}</Tag> : null}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          style={{ minWidth: 150 }}
          value={only ?? ""}
          onChange={(value: string) => {
            filters.set({ only: value || undefined });
            list.resetPage();
          }}
          options={[{ value: "", label: t("reports.all") }, ...ONLY.map((o) => ({ value: o, label: t(ONLY_LABELS[o]) }))]}
          data-testid="only"
        />
        <Space.Compact>
          <InputNumber
            min={1}
            max={3650}
            value={days}
            addonBefore={t("reports.noOutflowDays")}
            onChange={(value) => filters.set({ no_outflow_days: value && value !== 90 ? value : undefined })}
            style={{ width: 200 }}
          />
        </Space.Compact>
        <SubscribeButton report="stock-status" query={fullQuery} />
        <ExportButton url="/api/v1/reports/stock-status/" query={fullQuery} filename="stock-status" formats={["xlsx", "csv", "pdf"]} />
      </Space>
      {data && !showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Typography.Text type="secondary">{showCost ? t("reports.valueByCategory") : t("reports.onHandByCategory")}</Typography.Text>
          <EChart option={charts.categories.option} height={chartHeight(charts.categories.count)} />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text type="secondary">{showCost ? t("reports.valueByWarehouse") : t("reports.onHandByWarehouse")}</Typography.Text>
          <EChart option={charts.warehouses.option} height={chartHeight(charts.warehouses.count)} />
        </Col>
      </Row>
      <ReportTable<StockStatusRow>
        list={list}
        rowKey={(r) => `${r.warehouse ?? 0}-${r.sku}`}
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="status-table"
      />
    </>
  );
}

function AgeingTab({ query, groupBy }: { query: Record<string, number | string | undefined>; groupBy: string }) {
  const { t, i18n } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const fullQuery = { ...query, group_by: groupBy };
  const list = useList("/api/v1/reports/stock-status/ageing/", fullQuery);
  const data = list.query.data as StockAgeing | undefined;
  const showCost = data?.show_cost ?? false;
  const titles = bucketTitles(t, data?.bucket_days ?? []);
  const chart = useMemo(
    () =>
      barChart(
        titles.map((title, index) => {
          const total = data?.totals[index];
          return { label: title, values: [showCost ? toNumber(total?.value) : toNumber(total?.quantity)] };
        }),
        [showCost ? t("reports.value") : t("reports.onHand")],
        { narrow, language: i18n.language },
      ),
    [data, showCost, t, titles, narrow, i18n.language],
  );
  const columns: ColumnsType<StockAgeingRow> = [
    ...(groupBy === "warehouse_sku" ? warehouseColumn<StockAgeingRow>(t) : []),
    { title: t("reports.sku"), key: "sku", width: 180, render: (_v, r) => skuCell(r) },
    { title: t("reports.onHand"), dataIndex: "on_hand", align: "right", width: 80, render: formatQty },
    ...titles.map((title, index) => ({
      title,
      key: `b${index}`,
      align: "right" as const,
      width: 90,
      render: (_v: unknown, r: StockAgeingRow) => {
        const bucket = r.buckets[index];
        if (!bucket || toNumber(bucket.quantity) === 0) return "";
        return showCost ? `${formatQty(bucket.quantity)} / ${formatAmount(bucket.value)}` : formatQty(bucket.quantity);
      },
    })),
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <SubscribeButton report="stock-ageing" query={fullQuery} />
        <ExportButton url="/api/v1/reports/stock-status/ageing/" query={fullQuery} filename="stock-ageing" formats={["xlsx", "csv", "pdf"]} />
      </Space>
      {titles.length > 0 ? (
        // the chart's caption above it, on its own line (not beside the export button)
        <div style={{ marginBottom: 12 }} data-testid="ageing-chart">
          <Typography.Text type="secondary" style={{ display: "block" }}>
            {t("reports.ageingChart")}
          </Typography.Text>
          <EChart option={chart} height={chartHeight(titles.length)} />
        </div>
      ) : null}
      <ReportTable<StockAgeingRow>
        list={list}
        rowKey={(r) => `${r.warehouse ?? 0}-${r.sku}`}
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="ageing-table"
      />
    </>
  );
}

function ExpiringTab({ query }: { query: Record<string, number | undefined> }) {
  const { t } = useTranslation();
  const { filters } = useReportQuery();
  const days = filters.number("days") ?? 30;
  const fullQuery = { ...query, days };
  const list = useList("/api/v1/reports/stock-status/expiring/", fullQuery);
  const data = list.query.data as Expiring | undefined;
  const showCost = data?.show_cost ?? false;
  const columns: ColumnsType<ExpiringRow> = [
    { title: t("stockPages.expiryDate"), dataIndex: "expiry_date", width: 110 },
    {
      title: t("reports.daysLeft"),
      dataIndex: "days_left",
      align: "right",
      width: 80,
      render: (v: number | null) => (v !== null && v < 0 ? <Tag color="red">{v}</Tag> : v),
    },
    ...warehouseColumn<ExpiringRow>(t),
    { title: t("reports.sku"), key: "sku", width: 180, render: (_v, r) => skuCell(r) },
    { title: t("stock.batch"), dataIndex: "batch_no", width: 110 },
    { title: t("reports.onHand"), dataIndex: "on_hand", align: "right", width: 80, render: formatQty },
    { title: t("reports.available"), dataIndex: "available", align: "right", width: 80, render: formatQty },
    ...(showCost ? [{ title: t("reports.value"), dataIndex: "value", align: "right" as const, width: 100, render: formatAmount }] : []),
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <InputNumber
          min={0}
          max={3650}
          value={days}
          addonBefore={t("reports.expiringWithin")}
          addonAfter={t("reports.days")}
          onChange={(value) => filters.set({ days: value !== null && value !== 30 ? value : undefined })}
          style={{ width: 220 }}
          data-testid="expiring-days"
        />
        <SubscribeButton report="expiring-batches" query={fullQuery} />
        <ExportButton url="/api/v1/reports/stock-status/expiring/" query={fullQuery} filename="expiring-batches" formats={["xlsx", "csv", "pdf"]} />
      </Space>
      <ReportTable<ExpiringRow>
        list={list}
        rowKey={(r) => `${r.warehouse}-${r.batch}`}
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="expiring-table"
      />
    </>
  );
}

export function StockStatusPage() {
  const { t } = useTranslation();
  const { filters, query } = useReportQuery();
  const groupBy = filters.text("group_by") === "sku" ? "sku" : "warehouse_sku";
  const wanted = filters.text("tab");
  const tab = wanted === "ageing" || wanted === "expiring" ? wanted : "status";
  return (
    <Card title={t("reports.statusTitle")}>
      <ReportFilters onChange={() => undefined}>
        <Select
          style={{ minWidth: 150 }}
          value={groupBy}
          onChange={(value: string) => filters.set({ group_by: value === "warehouse_sku" ? undefined : value })}
          options={[
            { value: "warehouse_sku", label: t("reports.groupWarehouseSku") },
            { value: "sku", label: t("reports.groupSku") },
          ]}
          data-testid="group-by"
        />
      </ReportFilters>
      <Tabs
        activeKey={tab}
        onChange={(key) => filters.set({ tab: key === "status" ? undefined : key })}
        items={[
          { key: "status", label: t("reports.statusTab"), children: <StatusTab query={query as Record<string, number | undefined>} groupBy={groupBy} /> },
          { key: "ageing", label: t("reports.ageingTab"), children: <AgeingTab query={query as Record<string, number | undefined>} groupBy={groupBy} /> },
          { key: "expiring", label: t("reports.expiringLink"), children: <ExpiringTab query={query as Record<string, number | undefined>} /> },
        ]}
      />
    </Card>
  );
}
