import { Link, useNavigate } from "react-router";
import { Button, Card, Checkbox, Grid, Input, List, Select, Space, Table, Tabs, TreeSelect, Typography, type TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { StockBalanceRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { withoutCosts } from "../../auth/access";
import { formatAmount, formatMoney, formatQty } from "../../lib/format";
import { useColumnSettings } from "../../features/stock/ColumnSettings";
import { ExportButton } from "../../features/stock/ExportButton";
import { useCategoryTree, useWarehouseOptions } from "../../features/stock/queries";
import type { SortOrder } from "../../features/stock/sorting";
import { ledgerLink } from "../../features/stock/StockRowsTable";
import { StockByLocation } from "./StockByLocation";
import { GroupBySelect, type GroupBy } from "../stock-reports/GroupBySelect";
import { useUrlFilters } from "../stock-reports/filters";
import { ListSkeleton, ListState, listLoading } from "../../components/ListTable";

type Row = StockBalanceRow & { expiry_date?: string | null; safety_stock?: string | null };

/** The "where is it" view (stock per bin location) of a row's SKU, in its warehouse. */
function whereLink(row: Pick<Row, "sku" | "warehouse">): string {
  const warehouse = row.warehouse === null ? "" : `&warehouse=${row.warehouse}`;
  return `/inventory/balances?view=location&sku=${row.sku}${warehouse}`;
}

// Column key → the stock-balances API's `ordering=` name (the server sorts every page).
const SORTABLE: Record<string, string> = {
  warehouse: "warehouse_code",
  sku_code: "sku_code",
  sku_name: "sku_name",
  expiry_date: "expiry_date",
  on_hand: "on_hand",
  reserved: "reserved",
  available: "available",
  safety_stock: "safety_stock",
  value: "value",
};

function BalanceList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const filters = useUrlFilters();
  const warehouseOptions = useWarehouseOptions();
  const categories = useCategoryTree();
  // Cards below 992 px: on a phone or a tablet held upright the quantity columns would be off-screen.
  const isMobile = Grid.useBreakpoint().lg === false;
  const search = filters.text("search") ?? "";
  const warehouse = filters.number("warehouse");
  const category = filters.number("category");
  const onlyAvailable = filters.flag("only_available");
  const belowSafety = filters.flag("below_safety_stock");
  // a store user thinks per product: batches summed unless asked for
  const groupBy = (filters.text("group_by") as GroupBy | undefined) ?? "warehouse_sku";
  const [sort, setSort] = useState<{ key?: string; order: SortOrder }>({ order: null });
  const ordering =
    sort.key && sort.order && SORTABLE[sort.key]
      ? `${sort.order === "descend" ? "-" : ""}${SORTABLE[sort.key]}`
      : undefined;
  const query = {
    ordering,
    search,
    warehouse,
    category,
    group_by: groupBy,
    only_available: onlyAvailable || undefined,
    below_safety_stock: belowSafety || undefined,
  };
  const list = useList("/api/v1/stock-balances/", query);
  const update = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    list.resetPage();
  };

  const perWarehouse = groupBy !== "sku";
  // below safety stock is a warehouse × SKU matter: those rows have no batch
  const perBatch = groupBy === "batch" && !belowSafety;
  const all: (TableColumnsType<Row>[number] & { key: string })[] = [
    ...(perWarehouse
      ? [{ title: t("stock.warehouse"), key: "warehouse", render: (_v: unknown, row: Row) => row.warehouse_name ?? "" }]
      : []),
    { title: t("stock.skuCode"), dataIndex: "sku_code", key: "sku_code", width: 130 },
    { title: t("stock.sku"), dataIndex: "sku_name", key: "sku_name" },
    ...(perBatch
      ? [
          { title: t("stock.batch"), dataIndex: "batch_no", key: "batch_no", width: 110 },
          { title: t("stockPages.expiryDate"), dataIndex: "expiry_date", key: "expiry_date", width: 110 },
        ]
      : []),
    { title: t("stockPages.unit"), dataIndex: "unit_name", key: "unit", width: 70 },
    { title: t("stock.onHand"), dataIndex: "on_hand", key: "on_hand", align: "right", width: 100, render: formatQty },
    { title: t("stock.reserved"), dataIndex: "reserved", key: "reserved", align: "right", width: 90, render: formatQty },
    { title: t("stock.available"), dataIndex: "available", key: "available", align: "right", width: 100, render: formatQty },
    {
      title: t("stockPages.safetyStock"),
      dataIndex: "safety_stock",
      key: "safety_stock",
      align: "right",
      width: 100,
      render: formatQty,
    },
    { title: t("stock.value"), dataIndex: "value", key: "value", align: "right", width: 110, render: formatAmount },
    {
      title: t("stockPages.averageCost"),
      dataIndex: "average_cost",
      key: "average_cost",
      align: "right",
      width: 100,
      render: formatMoney,
    },
  ];
  const settings = useColumnSettings(
    "stock-balances",
    // every column the table can have, whatever the grouping, so hidden ones stay remembered
    [
      { key: "warehouse", title: t("stock.warehouse") },
      { key: "sku_code", title: t("stock.skuCode") },
      { key: "sku_name", title: t("stock.sku") },
      { key: "batch_no", title: t("stock.batch") },
      { key: "expiry_date", title: t("stockPages.expiryDate") },
      { key: "unit", title: t("stockPages.unit") },
      { key: "on_hand", title: t("stock.onHand") },
      { key: "reserved", title: t("stock.reserved") },
      { key: "available", title: t("stock.available") },
      { key: "safety_stock", title: t("stockPages.safetyStock") },
      { key: "value", title: t("stock.value") },
      { key: "average_cost", title: t("stockPages.averageCost") },
    ],
  );
  const columns: TableColumnsType<Row> = withoutCosts(all, can("costs"))
    .filter((column) => settings.isVisible(column.key))
    .map((column) => ({
      ...column,
      sorter: SORTABLE[column.key] ? true : undefined,
      sortOrder: sort.key === column.key ? sort.order : null,
    }));
  columns.push({
    title: t("common.actions"),
    key: "actions",
    width: 110,
    render: (_v, row) => (
      <Space size="small">
        {can("stockMoves") && <Link to={ledgerLink(row)}>{t("stock.ledger")}</Link>}
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => navigate(whereLink(row))} data-testid="where-link">
          {t("stockPages.whereIsIt")}
        </Button>
      </Space>
    ),
  });
  // the export has the visible columns, in the table's order
  // (the export names each quantity's unit itself)
  const exportQuery = {
    ...query,
    columns: all
      .filter((c) => c.key !== "unit" && settings.isVisible(c.key))
      .map((c) => c.key)
      .join(","),
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          id="balance-warehouse"
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value })}
          options={warehouseOptions}
        />
        <TreeSelect<number>
          allowClear
          id="balance-category"
          placeholder={t("stockPages.category")}
          style={{ minWidth: 180 }}
          value={category}
          treeData={categories}
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          onChange={(value) => update({ category: value ?? undefined })}
        />
        <GroupBySelect value={groupBy} onChange={(value) => update({ group_by: value === "warehouse_sku" ? undefined : value })} />
        <Checkbox
          data-testid="only-available"
          checked={onlyAvailable}
          onChange={(event) => update({ only_available: event.target.checked })}
        >
          {t("stockPages.onlyAvailable")}
        </Checkbox>
        <Checkbox
          data-testid="below-safety-stock"
          checked={belowSafety}
          onChange={(event) => update({ below_safety_stock: event.target.checked })}
        >
          {t("stockPages.belowSafetyStock")}
        </Checkbox>
        <Input.Search
          allowClear
          id="balance-search"
          defaultValue={search}
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => update({ search: value.trim() })}
          style={{ maxWidth: 360 }}
        />
        {!isMobile && settings.control}
        <ExportButton url="/api/v1/stock-balances/" query={exportQuery} filename="stock-balances" />
      </Space>
      <ListState query={list.query} hasRows={list.rows.length > 0}>
      {isMobile ? (
        <List<Row>
          loading={list.query.isFetching && !list.query.isPending}
          dataSource={list.rows}
          pagination={list.listPagination(t)}
          locale={list.query.isPending ? { emptyText: <ListSkeleton /> } : undefined}
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
                  <Typography.Text type="secondary">{t("stock.available")} </Typography.Text>
                  {formatQty(row.available)}
                </div>
                <div>
                  <Typography.Text type="secondary">{t("stock.value")} </Typography.Text>
                  {formatAmount(row.value)}
                </div>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => navigate(whereLink(row))}>
                  {t("stockPages.whereIsIt")}
                </Button>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<Row>
          rowKey={(row) => `${row.warehouse ?? "all"}:${row.sku}:${row.batch ?? ""}`}
          size="middle"
          {...listLoading(list.query)}
          dataSource={list.rows}
          pagination={list.pagination(t)}
          scroll={{ x: "max-content" }}
          columns={columns}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== "sort") return;
            const one = Array.isArray(sorter) ? sorter[0] : sorter;
            setSort({ key: one?.order ? String(one.columnKey) : undefined, order: one?.order ?? null });
            list.resetPage();
          }}
        />
      )}
      </ListState>
    </>
  );
}

// Filters of one view that are cleared when switching to the other (the warehouse is kept).
const VIEW_FILTERS = {
  search: undefined,
  category: undefined,
  group_by: undefined,
  only_available: undefined,
  below_safety_stock: undefined,
  location: undefined,
  sku: undefined,
};

export function StockBalancePage() {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const view = filters.text("view") === "location" ? "location" : "balances";
  return (
    <Card title={t("stock.balancesTitle")}>
      <Tabs
        activeKey={view}
        onChange={(key) => filters.set({ ...VIEW_FILTERS, view: key === "location" ? key : undefined })}
        items={[
          { key: "balances", label: t("stockPages.viewBalances"), children: view === "balances" && <BalanceList /> },
          { key: "location", label: t("stockPages.viewLocations"), children: view === "location" && <StockByLocation /> },
        ]}
      />
    </Card>
  );
}

