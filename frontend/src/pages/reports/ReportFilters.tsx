// The filters the reports share (store, warehouse, supplier, category, brand, SKU), kept in the
// URL so a report can be bookmarked, shared and drilled into. A report names the ones it takes.
import type { ReactNode } from "react";
import { Select, Space, TreeSelect } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, type Query } from "../../api/http";
import { SkuPicker } from "../../components/SkuPicker";
import { useCategoryTree, useWarehouseOptions } from "../../features/stock/queries";
import { useUrlFilters } from "../stock-reports/filters";

export const FILTER_KEYS = ["store", "warehouse", "supplier", "category", "brand", "sku"] as const;
export const PURCHASE_FILTER_KEYS = ["store", "warehouse", "supplier", "category", "sku"] as const;
type FilterKey = (typeof FILTER_KEYS)[number] | (typeof PURCHASE_FILTER_KEYS)[number];

export function useBrandOptions() {
  const brands = useQuery({
    queryKey: ["/api/v1/brands/", "all"],
    queryFn: () => ok(client.GET("/api/v1/brands/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
  });
  return (brands.data?.results ?? []).map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }));
}

export function useStoreOptions() {
  const stores = useQuery({
    queryKey: ["/api/v1/stores/", "all"],
    queryFn: () => ok(client.GET("/api/v1/stores/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
  });
  return (stores.data?.results ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}

export function useSupplierOptions(enabled = true) {
  const suppliers = useQuery({
    queryKey: ["/api/v1/suppliers/", "all"],
    queryFn: () =>
      ok(client.GET("/api/v1/suppliers/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
    enabled,
  });
  return (suppliers.data?.results ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}

/** The report's filters of the URL as an API query. */
export function useReportQuery(keys: readonly FilterKey[] = FILTER_KEYS): {
  filters: ReturnType<typeof useUrlFilters>;
  query: Query;
} {
  const filters = useUrlFilters();
  const query: Query = {};
  for (const key of keys) query[key] = filters.number(key);
  return { filters, query };
}

export function ReportFilters({
  onChange,
  children,
  keys = FILTER_KEYS,
}: {
  onChange: () => void;
  children?: ReactNode;
  keys?: readonly FilterKey[];
}) {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const warehouses = useWarehouseOptions();
  const categories = useCategoryTree();
  const brands = useBrandOptions();
  const stores = useStoreOptions();
  const suppliers = useSupplierOptions(keys.includes("supplier"));
  const shown = (key: FilterKey) => keys.includes(key);
  const set = (key: string, value: number | undefined) => {
    filters.set({ [key]: value });
    onChange();
  };
  return (
    <Space style={{ marginBottom: 12 }} wrap data-testid="report-filters">
      {children}
      {shown("store") && stores.length > 1 ? (
        <Select
          allowClear
          placeholder={t("reports.store")}
          style={{ minWidth: 150 }}
          value={filters.number("store")}
          onChange={(value: number | undefined) => set("store", value)}
          options={stores}
          data-testid="filter-store"
        />
      ) : null}
      {shown("warehouse") ? (
        <Select
          allowClear
          placeholder={t("reports.warehouse")}
          style={{ minWidth: 170 }}
          value={filters.number("warehouse")}
          onChange={(value: number | undefined) => set("warehouse", value)}
          options={warehouses}
          data-testid="filter-warehouse"
        />
      ) : null}
      {shown("supplier") ? (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t("reports.supplier")}
          style={{ minWidth: 170 }}
          value={filters.number("supplier")}
          onChange={(value: number | undefined) => set("supplier", value)}
          options={suppliers}
          data-testid="filter-supplier"
        />
      ) : null}
      {shown("category") ? (
        <TreeSelect
          allowClear
          placeholder={t("reports.category")}
          style={{ minWidth: 170 }}
          value={filters.number("category")}
          onChange={(value: number | undefined) => set("category", value)}
          treeData={categories}
          treeDefaultExpandAll
        />
      ) : null}
      {shown("brand") ? (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t("reports.brand")}
          style={{ minWidth: 150 }}
          value={filters.number("brand")}
          onChange={(value: number | undefined) => set("brand", value)}
          options={brands}
        />
      ) : null}
      {shown("sku") ? <SkuPicker value={filters.number("sku")} onChange={(value) => set("sku", value)} /> : null}
    </Space>
  );
}
