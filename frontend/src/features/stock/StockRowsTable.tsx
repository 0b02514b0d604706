// The table of stock rows shared by the stock-at, in-transit and near-expiry pages; on a phone
// it shows cards (the shared list pattern) instead of widening the page.
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { TableColumnsType, TablePaginationConfig } from "antd";
import { ListTable, type ListSource } from "../../components/ListTable";
import type { TFunction } from "i18next";
import { formatAmount, formatMoney, formatQty } from "../../lib/format";

export interface StockRowLike {
  warehouse: number | null;
  warehouse_code: string | null;
  warehouse_name: string | null;
  sku: number;
  sku_code: string;
  sku_name: string;
  batch: number | null;
  batch_no: string | null;
  expiry_date: string | null;
  on_hand: string;
  value: string | null;
  average_cost: string | null;
}

export function stockRowKey(row: StockRowLike): string {
  return `${row.warehouse ?? "all"}:${row.sku}:${row.batch ?? ""}`;
}

export function ledgerLink(row: Pick<StockRowLike, "sku" | "warehouse">): string {
  const warehouse = row.warehouse === null ? "" : `&warehouse=${row.warehouse}`;
  return `/inventory/moves?sku=${row.sku}${warehouse}`;
}

/** The usual columns; `batch` ones only when the rows are per batch. */
export function stockColumns<T extends StockRowLike>(
  t: TFunction,
  options: { batches: boolean; warehouses: boolean; ledger: boolean },
): TableColumnsType<T> {
  const columns: TableColumnsType<T> = [];
  if (options.warehouses) {
    columns.push({ title: t("stock.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name ?? "" });
  }
  columns.push(
    {
      title: t("stock.skuCode"),
      key: "sku_code",
      width: 130,
      render: (_v, row) => (options.ledger ? <Link to={ledgerLink(row)}>{row.sku_code}</Link> : row.sku_code),
    },
    { title: t("stock.sku"), dataIndex: "sku_name", key: "sku_name" },
  );
  if (options.batches) {
    columns.push(
      { title: t("stock.batch"), dataIndex: "batch_no", key: "batch_no", width: 110 },
      { title: t("stockPages.expiryDate"), dataIndex: "expiry_date", key: "expiry_date", width: 110 },
    );
  }
  columns.push(
    { title: t("stock.onHand"), dataIndex: "on_hand", key: "on_hand", align: "right", width: 100, render: formatQty },
    { title: t("stock.value"), dataIndex: "value", key: "value", align: "right", width: 110, render: formatAmount },
    {
      title: t("stockPages.averageCost"),
      dataIndex: "average_cost",
      key: "average_cost",
      align: "right",
      width: 100,
      render: formatMoney,
    },
  );
  return columns;
}

export function StockRowsTable<T extends StockRowLike>({
  list,
  columns,
  pagination,
  rowClassName,
  testId,
  footer,
}: {
  list: ListSource<T>;
  columns: TableColumnsType<T>;
  pagination: TablePaginationConfig | false;
  rowClassName?: (row: T) => string;
  testId?: string;
  footer?: ReactNode;
}) {
  return (
    <div data-testid={testId}>
      <ListTable<T>
        list={list}
        rowKey={stockRowKey}
        size="middle"
        pagination={pagination}
        rowClassName={rowClassName}
        scroll={{ x: "max-content" }}
        columns={columns}
      />
      {footer}
    </div>
  );
}
