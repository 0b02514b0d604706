// 未到货订单 (GET /api/v1/reports/open-purchase-orders/): lines of approved, sent and partially
// received purchase orders still expecting goods — open quantity and value, expected date and
// days overdue, most overdue first; "overdue only" lists the late deliveries to chase.
import { Link } from "react-router";
import { Alert, Card, Switch, Tag, Typography, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { OpenOrderLineRow, OpenOrders } from "../../api/contract";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { formatAmount, formatQty } from "../../lib/format";
import { ReportTable } from "./ReportTable";
import { PURCHASE_FILTER_KEYS, ReportFilters, useReportQuery } from "./ReportFilters";

export function OpenPurchaseOrdersPage() {
  const { t } = useTranslation();
  const { filters, query } = useReportQuery(PURCHASE_FILTER_KEYS);
  const overdue = filters.flag("overdue");
  const fullQuery = { ...query, overdue: overdue || undefined };
  const list = useList("/api/v1/reports/open-purchase-orders/", fullQuery);
  const data = list.query.data as OpenOrders | undefined;
  const showCost = data?.show_cost ?? false;

  const columns: ColumnsType<OpenOrderLineRow> = [
    {
      title: t("purchaseReports.order"),
      dataIndex: "order_number",
      width: 170,
      fixed: "left",
      render: (number: string, r) => <Link to={`/purchasing/orders/${r.order}`}>{number}</Link>,
    },
    { title: t("reports.supplier"), key: "supplier", width: 180, render: (_v, r) => `${r.supplier_code} ${r.supplier_name}` },
    { title: t("reports.warehouse"), key: "warehouse", width: 140, render: (_v, r) => r.warehouse_name },
    { title: t("reports.sku"), key: "sku", width: 200, render: (_v, r) => `${r.sku_code} ${r.sku_name}` },
    { title: t("purchaseReports.ordered"), key: "ordered", align: "right", width: 90, render: (_v, r) => formatQty(r.ordered_quantity) },
    { title: t("purchaseReports.received"), key: "received", align: "right", width: 90, render: (_v, r) => formatQty(r.received_quantity) },
    { title: t("purchaseReports.open"), key: "open", align: "right", width: 90, render: (_v, r) => `${formatQty(r.open_quantity)} ${r.unit_name}` },
    ...(showCost
      ? [{ title: t("purchaseReports.openValue"), key: "value", align: "right" as const, width: 110, render: (_v: unknown, r: OpenOrderLineRow) => formatAmount(r.open_value) }]
      : []),
    { title: t("purchaseReports.expected"), dataIndex: "expected_date", width: 110, render: (v) => v ?? "—" },
    {
      title: t("purchaseReports.daysOverdue"),
      key: "overdue",
      width: 100,
      render: (_v, r) =>
        r.days_overdue > 0 ? <Tag color="red">{t("purchaseReports.overdueDays", { count: r.days_overdue })}</Tag> : <Tag>{t("purchaseReports.onSchedule")}</Tag>,
    },
  ];

  return (
    <Card
      title={t("purchaseReports.openOrdersTitle")}
      extra={
        <Space wrap>
          <SubscribeButton report="open-purchase-orders" query={fullQuery} />
          <ExportButton url="/api/v1/reports/open-purchase-orders/" query={fullQuery} filename="open-purchase-orders" formats={["xlsx", "csv", "pdf"]} />
        </Space>
      }
    >
      <ReportFilters keys={PURCHASE_FILTER_KEYS} onChange={list.resetPage}>
        <span>
          <Switch
            checked={overdue}
            onChange={(checked) => {
              filters.set({ overdue: checked || undefined });
              list.resetPage();
            }}
            data-testid="overdue-only"
          />{" "}
          {t("purchaseReports.overdueOnly")}
        </span>
      </ReportFilters>
      {data && data.overdue_lines > 0 ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t("purchaseReports.overdueAlert", { count: data.overdue_lines })} />
      ) : null}
      {data && !showCost ? (
        <Typography.Paragraph type="secondary">{t("reports.noCostHint")}</Typography.Paragraph>
      ) : null}
      <ReportTable<OpenOrderLineRow>
        list={list}
        rowKey={(r) => `${r.order}-${r.line_no}`}
        size="small"
        bordered
        pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        columns={columns}
        data-testid="open-orders-table"
      />
    </Card>
  );
}
