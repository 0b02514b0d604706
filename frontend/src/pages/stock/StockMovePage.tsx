import { Link, useSearchParams } from "react-router";
import { Card, Select, Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import { useWarehouses } from "../../api/hooks";
import type { StockMoveRow } from "../../api/contract";
import { SkuPicker } from "../../components/SkuPicker";
import { documentPath } from "../stock-docs/kinds";
import { formatAmount, formatMoney, formatQty } from "../../lib/format";
import { ExportButton } from "../../features/stock/ExportButton";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { wallTimeIn } from "../../features/stock/companyTime";

export function StockMovePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const sku = params.get("sku") ? Number(params.get("sku")) : undefined;
  const warehouse = params.get("warehouse") ? Number(params.get("warehouse")) : undefined;
  const warehouses = useWarehouses();
  const zone = useCompanyTimeZone(); // as on the stock-at page, whatever the browser's zone
  // A report's drill-down narrows the ledger to a period and a move type (kept in the URL).
  const dateFrom = params.get("date_from") ?? undefined;
  const dateTo = params.get("date_to") ?? undefined;
  const moveType = params.get("move_type") ?? undefined;
  const query = { sku, warehouse, date_from: dateFrom, date_to: dateTo, move_type: moveType };
  const list = useList<StockMoveRow>("/api/v1/stock-moves/", query);

  const update = (key: string, value: number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: true });
    list.resetPage();
  };

  return (
    <Card
      title={t("stock.movesTitle")}
      extra={<ExportButton url="/api/v1/stock-moves/" query={query} filename="stock-ledger" />}
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <SkuPicker value={sku} onChange={(value) => update("sku", value)} />
        {dateFrom || dateTo || moveType ? (
          <Tag
            closable
            data-testid="drill-filter"
            onClose={() => {
              const next = new URLSearchParams(params);
              for (const key of ["date_from", "date_to", "move_type"]) next.delete(key);
              setParams(next, { replace: true });
              list.resetPage();
            }}
          >
            {[dateFrom?.slice(0, 10), dateTo?.slice(0, 10)].filter(Boolean).join(" ~ ")}
            {moveType ? ` · ${t(`moveType.${moveType}`)}` : ""}
          </Tag>
        ) : null}
        <Select
          allowClear
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update("warehouse", value)}
          options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
        />
      </Space>
      <Table<StockMoveRow>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t("stock.postedAt"),
            dataIndex: "posted_at",
            width: 160,
            render: (value: string) => wallTimeIn(zone, value).slice(0, 16),
          },
          { title: t("stock.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_code },
          { title: t("stock.sku"), key: "sku", render: (_v, row) => `${row.sku_code} ${row.sku_name}` },
          {
            title: t("stock.moveType"),
            key: "move_type",
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
          { title: t("stock.quantity"), dataIndex: "quantity", align: "right", width: 90, render: formatQty },
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
