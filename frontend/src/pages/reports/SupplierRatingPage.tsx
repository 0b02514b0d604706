// 供应商评分 (GET /api/v1/reports/supplier-rating/): suppliers ranked by their weighted score over
// a period (default: the last 90 days, as on the order form's supplier picker) — on-time delivery, fill rate, quality and price against
// other suppliers of the same SKUs. The weights are the company settings'.
import { useMemo } from "react";
import { Card, Progress, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { SupplierRating, SupplierRatingRow } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount } from "../../lib/format";
import { RATING_DAYS } from "../purchasing/queries";
import { PeriodPicker, useReportPeriod } from "./ReportControls";
import { ReportTable } from "./ReportTable";
import { ReportFilters, useReportQuery } from "./ReportFilters";
import { barChart, chartHeight, toNumber } from "./charts";

const RATING_FILTER_KEYS = ["store", "warehouse", "supplier"] as const;

function percent(value: string | null | undefined): string {
  return value === null || value === undefined ? "—" : `${value}%`;
}

export function SupplierRatingPage() {
  const { t } = useTranslation();
  const { query } = useReportQuery(RATING_FILTER_KEYS);
  const { today, from, to } = useReportPeriod(RATING_DAYS);
  const fullQuery = { ...query, date_from: from, date_to: to };
  const list = useList("/api/v1/reports/supplier-rating/", fullQuery);
  const data = list.query.data as SupplierRating | undefined;
  const weights = data?.weights;

  const columns: ColumnsType<SupplierRatingRow> = [
    { title: t("purchaseReports.rank"), dataIndex: "rank", width: 60, align: "right", render: (v) => v ?? "—" },
    { title: t("reports.supplier"), key: "supplier", width: 200, render: (_v, r) => `${r.supplier_code} ${r.supplier_name}` },
    {
      title: t("purchaseReports.score"),
      key: "score",
      width: 160,
      render: (_v, r) =>
        r.score === null ? "—" : <Progress percent={toNumber(r.score)} size="small" format={() => r.score} status="normal" />,
    },
    { title: t("purchaseReports.onTime"), key: "on_time", align: "right", width: 90, render: (_v, r) => percent(r.on_time) },
    { title: t("purchaseReports.fillRate"), key: "fill", align: "right", width: 90, render: (_v, r) => percent(r.fill_rate) },
    { title: t("purchaseReports.quality"), key: "quality", align: "right", width: 90, render: (_v, r) => percent(r.quality) },
    { title: t("purchaseReports.priceIndex"), key: "price", align: "right", width: 90, render: (_v, r) => r.price_index ?? "—" },
    { title: t("purchaseReports.receiptLines"), dataIndex: "receipt_lines", align: "right", width: 90 },
    ...(data?.show_cost
      ? [{ title: t("purchaseReports.deliveredValue"), key: "value", align: "right" as const, width: 120, render: (_v: unknown, r: SupplierRatingRow) => formatAmount(r.received_value) }]
      : []),
  ];

  const chart = useMemo(() => {
    const rows = (list.rows as SupplierRatingRow[]).filter((r) => r.score !== null).slice(0, 15);
    return {
      count: rows.length,
      option: barChart(rows.map((r) => ({ label: r.supplier_name, values: [toNumber(r.score)] })), [t("purchaseReports.score")]),
    };
  }, [list.rows, t]);

  return (
    <Card
      title={t("purchaseReports.ratingTitle")}
      extra={
        <Space wrap>
          <SubscribeButton report="supplier-rating" query={fullQuery} />
          <ExportButton url="/api/v1/reports/supplier-rating/" query={fullQuery} filename="supplier-rating" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters keys={RATING_FILTER_KEYS} onChange={list.resetPage}>
        <PeriodPicker from={from} to={to} today={today} onChange={list.resetPage} />
      </ReportFilters>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="rating-weights">
        {t("purchaseReports.ratingHint")}
        {weights
          ? ` ${t("purchaseReports.weights", {
              onTime: Number(weights.on_time),
              fill: Number(weights.fill_rate),
              quality: Number(weights.quality),
              price: Number(weights.price),
            })}`
          : null}
      </Typography.Paragraph>
      {chart.count > 0 ? <EChart option={chart.option} height={chartHeight(chart.count)} /> : null}
      <ReportTable<SupplierRatingRow>
        list={list}
        rowKey="supplier"
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="rating-table"
      />
    </Card>
  );
}
