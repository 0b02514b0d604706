// 在途库存: transfers shipped and not yet fully received (GET /api/v1/transfers/?in_transit=true)
// with each line's in-transit quantity from the transfer detail, and the in-transit stock per
// SKU × batch of those transfers (GET /api/v1/in-transit/: the user's stores' transfers, or all
// of them for head office), optionally only those leaving from or going to one warehouse.
import { Link } from "react-router";
import { Card, Select, Space, Table, Tabs } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { useList } from "../../api/useList";
import type { StockBalanceRow, TransferLineRow, TransferListRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { SkuPicker } from "../../components/SkuPicker";
import { StatusTag } from "../../features/documents/StatusTag";
import { compareDecimal } from "../../lib/decimal";
import { formatQty } from "../../lib/format";
import { ExportButton } from "../../features/stock/ExportButton";
import { useWarehouseOptions } from "../../features/stock/queries";
import { StockRowsTable, stockColumns } from "../../features/stock/StockRowsTable";
import { useUrlFilters } from "./filters";
import { ListTable } from "../../components/ListTable";

function InTransitLines({ transferId }: { transferId: number }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ["/api/v1/transfers/", transferId],
    queryFn: () => ok(client.GET("/api/v1/transfers/{id}/", { params: { path: { id: transferId } } })),
  });
  const lines = (detail.data?.lines ?? []).filter((line) => compareDecimal(line.in_transit_quantity, "0") !== 0);
  return (
    <Table<TransferLineRow>
      rowKey="id"
      size="small"
      loading={detail.isFetching}
      dataSource={lines}
      pagination={false}
      scroll={{ x: "max-content" }}
      data-testid={`transit-lines-${transferId}`}
      columns={[
        { title: t("stock.skuCode"), dataIndex: "sku_code", width: 120 },
        { title: t("stock.sku"), dataIndex: "sku_name" },
        { title: t("stock.batch"), dataIndex: "batch_no", width: 110 },
        { title: t("transfer.shipped"), dataIndex: "shipped_quantity", align: "right", width: 90, render: formatQty },
        { title: t("transfer.received"), dataIndex: "received_quantity", align: "right", width: 90, render: formatQty },
        {
          title: t("stockPages.inTransitQty"),
          key: "in_transit",
          align: "right",
          width: 110,
          render: (_v, line) => <strong data-testid={`transit-qty-${line.sku_code}`}>{`${formatQty(line.in_transit_quantity)} ${line.base_unit_name}`}</strong>,
        },
      ]}
    />
  );
}

function TransfersInTransit() {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const warehouseOptions = useWarehouseOptions();
  const warehouse = filters.number("warehouse");
  const list = useList("/api/v1/transfers/", { in_transit: true, warehouse, ordering: "shipped_at" });
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => {
            filters.set({ warehouse: value });
            list.resetPage();
          }}
          options={warehouseOptions}
        />
      </Space>
      <ListTable<TransferListRow>
        list={list}
        rowKey="id"
        size="middle"
                pagination={list.pagination(t)}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("stockPages.noInTransit") }}
        expandable={{ expandedRowRender: (row) => <InTransitLines transferId={row.id} />, rowExpandable: () => true }}
        columns={[
          {
            title: t("doc.number"),
            dataIndex: "number",
            render: (number: string, row) => <Link to={`/inventory/transfers/${row.id}`}>{number}</Link>,
          },
          {
            title: t("transfer.route"),
            key: "route",
            render: (_v, row) => `${row.from_warehouse_name} → ${row.to_warehouse_name}`,
          },
          {
            title: t("stockPages.shippedAt"),
            dataIndex: "shipped_at",
            width: 150,
            render: (value: string | null) => (value ? dayjs(value).format("YYYY-MM-DD HH:mm") : ""),
          },
          { title: t("stockPages.expectedDate"), dataIndex: "expected_date", width: 110 },
          { title: t("doc.status"), key: "status", width: 110, render: (_v, row) => <StatusTag status={row.status} /> },
        ]}
      />
    </>
  );
}

function TransitBalances() {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const warehouseOptions = useWarehouseOptions();
  const sku = filters.number("sku");
  const warehouse = filters.number("warehouse");
  const query = { sku, warehouse };
  const list = useList("/api/v1/in-transit/", query);
  const update = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    list.resetPage();
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          id="transit-warehouse"
          placeholder={t("stock.warehouse")}
          title={t("stockPages.transitWarehouseHint")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value })}
          options={warehouseOptions}
        />
        <SkuPicker value={sku} onChange={(value) => update({ sku: value })} />
        <ExportButton url="/api/v1/in-transit/" query={query} filename="in-transit" />
      </Space>
      <StockRowsTable<StockBalanceRow>
        testId="transit-balances"
        list={list}
        pagination={list.pagination(t)}
        columns={stockColumns<StockBalanceRow>(t, { batches: true, warehouses: false, ledger: false })}
      />
    </>
  );
}

export function InTransitPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Card title={t("stockPages.inTransitTitle")}>
      <Tabs
        items={[
          { key: "transfers", label: t("stockPages.inTransitTransfers"), children: <TransfersInTransit /> },
          ...(can("stockBalances")
            ? [{ key: "balances", label: t("stockPages.inTransitBalances"), children: <TransitBalances /> }]
            : []),
        ]}
      />
    </Card>
  );
}
