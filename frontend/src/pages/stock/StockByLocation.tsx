// 按货位: where the stock is — on hand per warehouse × bin location × SKU × batch, summed from the
// ledger (GET /api/v1/stock-by-location/); stock received without a location is "unassigned".
// Opened from a stock row's "where" link with the SKU and warehouse already chosen.
import { Grid, Input, List, Select, Space, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { useList } from "../../api/useList";
import type { LocationStockRow } from "../../api/contract";
import { SkuPicker } from "../../components/SkuPicker";
import { formatQty } from "../../lib/format";
import { ExportButton } from "../../features/stock/ExportButton";
import { useWarehouseOptions } from "../../features/stock/queries";
import { useUrlFilters } from "../stock-reports/filters";
import { ListSkeleton, ListState, listLoading } from "../../components/ListTable";

function useLocationOptions(warehouse: number | undefined) {
  const locations = useQuery({
    queryKey: ["/api/v1/locations/", "options", warehouse],
    queryFn: () =>
      ok(client.GET("/api/v1/locations/", { params: { query: { warehouse, page_size: 500 } } })),
    enabled: warehouse !== undefined,
    staleTime: 60_000,
  });
  return (locations.data?.results ?? []).map((l) => ({ value: l.id, label: l.name ? `${l.code} ${l.name}` : l.code }));
}

export function StockByLocation() {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const isMobile = Grid.useBreakpoint().md === false;
  const warehouseOptions = useWarehouseOptions();
  const warehouse = filters.number("warehouse");
  const locationOptions = useLocationOptions(warehouse);
  const location = filters.number("location");
  const sku = filters.number("sku");
  const search = filters.text("search") ?? "";
  const query = { warehouse, location, sku, search };
  const list = useList("/api/v1/stock-by-location/", query);
  const update = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    list.resetPage();
  };
  const place = (row: LocationStockRow) =>
    row.location_code ? (
      <span data-testid="location-code">{row.location_name ? `${row.location_code} ${row.location_name}` : row.location_code}</span>
    ) : (
      <Tag data-testid="location-code">{t("stockPages.unassigned")}</Tag>
    );

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          id="location-warehouse"
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value, location: undefined })}
          options={warehouseOptions}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          id="location-location"
          placeholder={t("stockPages.location")}
          style={{ minWidth: 160 }}
          disabled={warehouse === undefined}
          value={location}
          onChange={(value: number | undefined) => update({ location: value })}
          options={locationOptions}
        />
        <SkuPicker value={sku} onChange={(value) => update({ sku: value })} />
        <Input.Search
          allowClear
          id="location-search"
          defaultValue={search}
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => update({ search: value.trim() })}
          style={{ maxWidth: 320 }}
        />
        <ExportButton url="/api/v1/stock-by-location/" query={query} filename="stock-by-location" />
      </Space>
      <Typography.Paragraph type="secondary">{t("stockPages.locationHint")}</Typography.Paragraph>
      <ListState query={list.query} hasRows={list.rows.length > 0}>
      {isMobile ? (
        <List<LocationStockRow>
          loading={list.query.isFetching && !list.query.isPending}
          dataSource={list.rows}
          pagination={list.listPagination(t)}
          locale={list.query.isPending ? { emptyText: <ListSkeleton /> } : undefined}
          renderItem={(row) => (
            <List.Item data-testid="location-card">
              <List.Item.Meta
                title={`${row.sku_code} ${row.sku_name}`}
                description={
                  <Space size={4} wrap>
                    {place(row)}
                    {[row.warehouse_name, row.batch_no].filter(Boolean).join(" · ")}
                  </Space>
                }
              />
              <strong>{`${formatQty(row.on_hand)} ${row.unit_name}`}</strong>
            </List.Item>
          )}
        />
      ) : (
        <Table<LocationStockRow>
          data-testid="location-table"
          rowKey={(row) => `${row.warehouse}:${row.location ?? "-"}:${row.sku}:${row.batch ?? ""}`}
          size="middle"
          {...listLoading(list.query)}
          dataSource={list.rows}
          pagination={list.pagination(t)}
          scroll={{ x: "max-content" }}
          columns={[
            { title: t("stock.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name },
            { title: t("stockPages.location"), key: "location", render: (_v, row) => place(row) },
            { title: t("stock.skuCode"), dataIndex: "sku_code", width: 130 },
            { title: t("stock.sku"), dataIndex: "sku_name" },
            { title: t("stock.batch"), dataIndex: "batch_no", width: 110 },
            { title: t("stockPages.expiryDate"), dataIndex: "expiry_date", width: 110 },
            { title: t("stock.onHand"), dataIndex: "on_hand", align: "right", width: 100, render: formatQty },
            { title: t("stockPages.unit"), dataIndex: "unit_name", width: 70 },
          ]}
        />
      )}
      </ListState>
    </>
  );
}
