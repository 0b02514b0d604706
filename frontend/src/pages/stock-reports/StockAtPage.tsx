// 库存查询 - 历史时点: on hand and value at a past date-time (company time zone), by warehouse,
// SKU and batch, from GET /api/v1/stock-at/.
import { Alert, Card, DatePicker, Select, Space, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { useList } from "../../api/useList";
import type { StockAtRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { SkuPicker } from "../../components/SkuPicker";
import { wallTimeToIso } from "../../features/stock/companyTime";
import { ExportButton } from "../../features/stock/ExportButton";
import { useCompanyTimeZone, useWarehouseOptions } from "../../features/stock/queries";
import { StockRowsTable, stockColumns } from "../../features/stock/StockRowsTable";
import { GroupBySelect, type GroupBy } from "./GroupBySelect";
import { useUrlFilters } from "./filters";

const URL_FORMAT = "YYYY-MM-DDTHH:mm:ss";

export function StockAtPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const filters = useUrlFilters();
  const zone = useCompanyTimeZone();
  const warehouseOptions = useWarehouseOptions();
  const atText = filters.text("at");
  const at = atText && dayjs(atText).isValid() ? dayjs(atText) : undefined;
  const warehouse = filters.number("warehouse");
  const sku = filters.number("sku");
  const groupBy = (filters.text("group_by") as GroupBy | undefined) ?? "batch";
  const query = {
    at: at ? wallTimeToIso(at.format("YYYY-MM-DD HH:mm:ss"), zone) : undefined,
    warehouse,
    sku,
    group_by: groupBy,
  };
  const list = useList("/api/v1/stock-at/", query, at !== undefined);
  const update = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    list.resetPage();
  };
  const batches = groupBy === "batch";

  return (
    <Card
      title={t("stockPages.stockAtTitle")}
      extra={
        <ExportButton
          url="/api/v1/stock-at/"
          query={query}
          filename={`stock-at-${at ? at.format("YYYYMMDD-HHmm") : ""}`}
          disabled={!at}
        />
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <DatePicker
          id="stock-at-picker"
          showTime={{ format: "HH:mm" }}
          format="YYYY-MM-DD HH:mm"
          placeholder={t("stockPages.chooseAt")}
          value={at ?? null}
          onChange={(value) => update({ at: value ? value.second(0).format(URL_FORMAT) : undefined })}
        />
        <Select
          allowClear
          id="stock-at-warehouse"
          placeholder={t("stock.warehouse")}
          style={{ minWidth: 180 }}
          value={warehouse}
          onChange={(value: number | undefined) => update({ warehouse: value })}
          options={warehouseOptions}
        />
        <SkuPicker value={sku} onChange={(value) => update({ sku: value })} />
        <GroupBySelect value={groupBy} onChange={(value) => update({ group_by: value === "batch" ? undefined : value })} />
      </Space>
      <Typography.Paragraph type="secondary" data-testid="zone-hint">
        {t("stockPages.zoneHint", { zone })}
      </Typography.Paragraph>
      {at ? (
        <StockRowsTable<StockAtRow>
          testId="stock-at-table"
          list={list}
          pagination={list.pagination(t)}
          columns={stockColumns<StockAtRow>(t, {
            batches,
            warehouses: groupBy !== "sku",
            ledger: can("stockMoves"),
          })}
        />
      ) : (
        <Alert type="info" showIcon message={t("stockPages.atRequired")} />
      )}
    </Card>
  );
}
