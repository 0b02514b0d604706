// 库存流水: the stock ledger, newest first, filtered by SKU, warehouse, date range (days in the
// company's zone), move type and document number; columns sort on the server.
import { Link, useSearchParams } from "react-router";
import { Card, Input, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import { useWarehouses } from "../../api/hooks";
import type { StockMoveRow } from "../../api/contract";
import { SkuPicker } from "../../components/SkuPicker";
import { documentPath } from "../stock-docs/kinds";
import { formatAmount, formatMoney, formatQty } from "../../lib/format";
import { ExportButton } from "../../features/stock/ExportButton";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { endOfDayIso, wallTimeIn, wallTimeToIso } from "../../features/stock/companyTime";
import { ListTable } from "../../components/ListTable";
import { DateRangeFilter } from "../../components/DateRangeFilter";

export const MOVE_TYPES = [
  "stock_in",
  "stock_out",
  "adjustment",
  "scrap",
  "transfer_out",
  "transfer_in",
  "transfer_loss",
  "count_gain",
  "count_loss",
  "purchase_receipt",
  "purchase_return",
  "sale",
  "sales_return",
] as const;

// column key → the API's `ordering=` name
const SORTABLE: Record<string, string> = {
  posted_at: "posted_at",
  warehouse: "warehouse_code",
  sku: "sku_code",
  move_type: "move_type",
  quantity: "quantity",
};
const DEFAULT_ORDERING = "-posted_at"; // a journal: newest first

export function StockMovePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const number = (key: string) => (params.get(key) ? Number(params.get(key)) : undefined);
  const text = (key: string) => params.get(key) || undefined;
  const sku = number("sku");
  const warehouse = number("warehouse");
  // days; a report's drill-down link may give date-times (its period's first and last instant)
  const dateFrom = text("date_from")?.slice(0, 10);
  const dateTo = text("date_to")?.slice(0, 10);
  const moveType = text("move_type");
  const documentNumber = text("document_number");
  const ordering = text("ordering") ?? DEFAULT_ORDERING;
  const warehouses = useWarehouses();
  const zone = useCompanyTimeZone(); // as on the stock-at page, whatever the browser's zone
  const query = {
    sku,
    warehouse,
    move_type: moveType,
    document_number: documentNumber,
    // whole days in the company's zone
    date_from: dateFrom ? wallTimeToIso(`${dateFrom} 00:00:00`, zone) : undefined,
    date_to: dateTo ? endOfDayIso(dateTo, zone) : undefined,
    ordering,
  };
  const list = useList("/api/v1/stock-moves/", query);

  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next, { replace: true });
    list.resetPage();
  };
  const sortOrder = (key: string) => {
    const name = SORTABLE[key];
    if (ordering === name) return "ascend" as const;
    if (ordering === `-${name}`) return "descend" as const;
    return null;
  };

  return (
    <Card
      title={t("stock.movesTitle")}
      extra={<ExportButton url="/api/v1/stock-moves/" query={query} filename="stock-ledger" />}
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <SkuPicker value={sku} onChange={(value) => update({ sku: value })} />
        <Select
          allowClear
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value })}
          options={(warehouses.data ?? [])
            .filter((w) => w.kind !== "transit")
            .map((w) => ({ value: w.id, label: w.name }))}
        />
        <DateRangeFilter value={{ from: dateFrom, to: dateTo }} onChange={(range) => update({ date_from: range.from, date_to: range.to })} />
        <Select
          allowClear
          placeholder={t("stock.moveType")}
          style={{ minWidth: 140 }}
          value={moveType}
          onChange={(value: string | undefined) => update({ move_type: value })}
          options={MOVE_TYPES.map((type) => ({ value: type, label: t(`moveType.${type}`) }))}
          data-testid="move-type-filter"
        />
        <Input.Search
          allowClear
          placeholder={t("stock.documentNumber")}
          defaultValue={documentNumber}
          onSearch={(value) => update({ document_number: value.trim() })}
          style={{ width: 240 }}
          data-testid="document-filter"
        />
      </Space>
      <ListTable<StockMoveRow>
        list={list}
        size="middle"
        pagination={list.pagination(t)}
        scroll={{ x: 1000 }}
        testId="stock-moves"
        cardTitle={(row) => `${row.sku_code} ${row.sku_name}`}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action !== "sort") return;
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const name = one?.order ? SORTABLE[String(one.columnKey)] : undefined;
          update({ ordering: name ? `${one?.order === "descend" ? "-" : ""}${name}` : undefined });
        }}
        columns={[
          {
            title: t("stock.postedAt"),
            key: "posted_at",
            dataIndex: "posted_at",
            width: 150,
            sorter: true,
            sortOrder: sortOrder("posted_at"),
            sortDirections: ["descend", "ascend", "descend"],
            render: (value: string) => wallTimeIn(zone, value).slice(0, 16),
          },
          {
            title: t("stock.warehouse"),
            key: "warehouse",
            sorter: true,
            sortOrder: sortOrder("warehouse"),
            render: (_v, row) => row.warehouse_name,
          },
          {
            title: t("stock.sku"),
            key: "sku",
            sorter: true,
            sortOrder: sortOrder("sku"),
            render: (_v, row) => (
              <span style={{ whiteSpace: "nowrap" }}>{`${row.sku_code} ${row.sku_name}`}</span>
            ),
          },
          { title: t("stock.batch"), key: "batch_no", width: 100, render: (_v, row) => row.batch_no ?? "" },
          {
            title: t("stock.moveType"),
            key: "move_type",
            width: 110,
            sorter: true,
            sortOrder: sortOrder("move_type"),
            render: (_v, row) => t(`moveType.${row.move_type}`),
          },
          {
            title: t("stock.document"),
            key: "document",
            width: 200, // a number such as RK-0000-20261128-0001 on one line
            render: (_v, row) => {
              const path = documentPath(row.document_type, row.move_type, row.document_id);
              return path ? <Link to={path}>{row.document_number}</Link> : row.document_number;
            },
          },
          {
            title: t("stock.quantity"),
            key: "quantity",
            dataIndex: "quantity",
            align: "right",
            width: 90,
            sorter: true,
            sortOrder: sortOrder("quantity"),
            render: formatQty,
          },
          { title: t("stock.unitCost"), dataIndex: "unit_cost", align: "right", width: 90, render: formatMoney },
          {
            title: t("stock.balanceAfter"),
            key: "balance",
            align: "right",
            width: 90,
            render: (_v, row) => formatQty(row.running_quantity ?? row.balance_quantity),
          },
          {
            title: t("stock.value"),
            key: "balance_value",
            align: "right",
            width: 100,
            render: (_v, row) => formatAmount(row.running_value ?? row.balance_value),
          },
        ]}
      />
    </Card>
  );
}
