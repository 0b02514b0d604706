// 临期批次: batches expiring within N days (default 30) from GET /api/v1/batches/, soonest
// first; expired ones red, those within 7 days orange; each links to the SKU's ledger.
import { Link } from "react-router";
import { Card, Select, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { BatchRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { SkuPicker } from "../../components/SkuPicker";
import { formatAmount, formatQty } from "../../lib/format";
import { todayIn } from "../../features/stock/companyTime";
import {
  DEFAULT_EXPIRY_WINDOW,
  EXPIRY_COLORS,
  EXPIRY_WINDOWS,
  daysUntil,
  expiryLevel,
} from "../../features/stock/expiry";
import { ExportButton } from "../../features/stock/ExportButton";
import { useCompanyTimeZone, useWarehouseOptions } from "../../features/stock/queries";
import { ledgerLink, stockRowKey } from "../../features/stock/StockRowsTable";
import { useUrlFilters } from "./filters";
import "../../features/stock/stock.css";
import { ListTable } from "../../components/ListTable";

export function ExpiringBatchesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const filters = useUrlFilters();
  const zone = useCompanyTimeZone();
  const warehouseOptions = useWarehouseOptions();
  const days = filters.number("days") ?? DEFAULT_EXPIRY_WINDOW;
  const warehouse = filters.number("warehouse");
  const sku = filters.number("sku");
  const query = { expiring_within_days: days, warehouse, sku };
  const list = useList("/api/v1/batches/", query);
  const today = todayIn(zone);
  const update = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    list.resetPage();
  };
  const dayOptions = [...new Set([...EXPIRY_WINDOWS, days])].sort((a, b) => a - b);
  const left = (expiry: string | null) => {
    if (!expiry) return "";
    const n = daysUntil(expiry, today);
    if (n < 0) return t("stockPages.expiredAgo", { count: -n });
    if (n === 0) return t("stockPages.expiresToday");
    return t("stockPages.expiresIn", { count: n });
  };

  return (
    <Card
      title={t("stockPages.expiringTitle")}
      extra={
        <ExportButton url="/api/v1/batches/" query={query} filename={`batches-expiring-${days}d-${today}`} />
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<number>
          id="expiry-days"
          aria-label={t("stockPages.expiringWithin")}
          style={{ minWidth: 150 }}
          value={days}
          onChange={(value) => update({ days: value === DEFAULT_EXPIRY_WINDOW ? undefined : value })}
          options={dayOptions.map((n) => ({ value: n, label: `${t("stockPages.expiringWithin")}: ${t("stockPages.days", { count: n })}` }))}
        />
        <Select
          allowClear
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value })}
          options={warehouseOptions}
        />
        <SkuPicker value={sku} onChange={(value) => update({ sku: value })} />
      </Space>
      <Space style={{ marginBottom: 12 }} wrap>
        <Tag color={EXPIRY_COLORS.expired}>{t("stockPages.legendExpired")}</Tag>
        <Tag color={EXPIRY_COLORS.soon}>{t("stockPages.legendSoon")}</Tag>
      </Space>
      <ListTable<BatchRow>
        list={list}
        rowKey={stockRowKey}
        size="middle"
                pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        onRow={(row) => ({ "data-expiry": expiryLevel(row.expiry_date, today) }) as React.HTMLAttributes<HTMLElement>}
        rowClassName={(row) => `expiry-${expiryLevel(row.expiry_date, today)}`}
        columns={[
          {
            title: t("stockPages.expiryDate"),
            key: "expiry_date",
            width: 120,
            render: (_v, row) => {
              const color = EXPIRY_COLORS[expiryLevel(row.expiry_date, today)];
              return color ? (
                <Tag color={color} data-testid="expiry-tag">
                  {row.expiry_date}
                </Tag>
              ) : (
                row.expiry_date
              );
            },
          },
          {
            title: t("stockPages.daysLeft"),
            key: "left",
            width: 130,
            render: (_v, row) => (
              <Typography.Text type={expiryLevel(row.expiry_date, today) === "expired" ? "danger" : undefined}>
                {left(row.expiry_date)}
              </Typography.Text>
            ),
          },
          {
            title: t("stock.sku"),
            key: "sku",
            render: (_v, row) =>
              can("stockMoves") ? (
                <Link to={ledgerLink(row)}>{`${row.sku_code} ${row.sku_name}`}</Link>
              ) : (
                `${row.sku_code} ${row.sku_name}`
              ),
          },
          { title: t("stock.batch"), dataIndex: "batch_no", width: 120 },
          { title: t("stock.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name ?? "" },
          { title: t("stockPages.productionDate"), dataIndex: "production_date", width: 110 },
          { title: t("stock.onHand"), dataIndex: "on_hand", align: "right", width: 90, render: formatQty },
          { title: t("stock.available"), dataIndex: "available", align: "right", width: 90, render: formatQty },
          { title: t("stock.value"), dataIndex: "value", align: "right", width: 100, render: formatAmount },
        ]}
      />
    </Card>
  );
}
