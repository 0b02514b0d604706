import { useState } from "react";
import { Link } from "react-router";
import { Card, Grid, Input, List, Select, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import { useWarehouses } from "../../api/hooks";
import type { StockBalanceRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { formatMoney, formatQty } from "../../lib/format";

export function StockBalancePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const [warehouse, setWarehouse] = useState<number | undefined>();
  const warehouses = useWarehouses();
  const isMobile = Grid.useBreakpoint().md === false;
  const list = useList<StockBalanceRow>("/api/v1/stock-balances/", { search, warehouse });

  return (
    <Card title={t("stock.balancesTitle")}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => {
            setWarehouse(value);
            list.resetPage();
          }}
          options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
        />
        <Input.Search
          allowClear
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => {
            setSearch(value.trim());
            list.resetPage();
          }}
          style={{ maxWidth: 360 }}
        />
      </Space>
      {isMobile ? (
        <List<StockBalanceRow>
          loading={list.query.isFetching}
          dataSource={list.rows}
          pagination={(() => {
            const { current, pageSize, total, onChange } = list.pagination(t);
            return { current, pageSize, total, onChange, size: "small" as const, align: "end" as const };
          })()}
          locale={{ emptyText: t("common.noData") }}
          renderItem={(row) => (
            <List.Item data-testid="balance-card">
              <List.Item.Meta
                title={`${row.sku_code} ${row.sku_name}`}
                description={[row.warehouse_name, row.batch_no].filter(Boolean).join(" · ")}
              />
              <div style={{ textAlign: "right" }}>
                <div>
                  <Typography.Text type="secondary">{t("stock.onHand")} </Typography.Text>
                  <strong>{formatQty(row.on_hand)}</strong>
                </div>
                <div>
                  <Typography.Text type="secondary">{t("stock.value")} </Typography.Text>
                  {formatMoney(row.value)}
                </div>
              </div>
            </List.Item>
          )}
        />
      ) : (
      <Table<StockBalanceRow>
        rowKey={(row) => `${row.warehouse ?? "all"}:${row.sku}:${row.batch ?? ""}`}
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 760 }}
        columns={[
          {
            title: t("stock.warehouse"),
            key: "warehouse",
            render: (_v, row) => row.warehouse_name ?? "",
          },
          { title: t("stock.skuCode"), dataIndex: "sku_code", width: 130 },
          { title: t("stock.sku"), dataIndex: "sku_name" },
          { title: t("stock.batch"), dataIndex: "batch_no", width: 110 },
          { title: t("stock.onHand"), dataIndex: "on_hand", align: "right", width: 100, render: formatQty },
          {
            title: t("stock.available"),
            key: "available",
            align: "right",
            width: 100,
            render: (_v, row) => formatQty(row.available),
          },
          { title: t("stock.value"), dataIndex: "value", align: "right", width: 110, render: formatMoney },
          {
            title: t("common.actions"),
            key: "actions",
            width: 80,
            render: (_v, row) =>
              can("stockMoves") && row.warehouse !== null ? (
                <Link to={`/inventory/moves?sku=${row.sku}&warehouse=${row.warehouse}`}>{t("stock.ledger")}</Link>
              ) : null,
          },
        ]}
      />
      )}
    </Card>
  );
}
