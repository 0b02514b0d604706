// The filters every report shares (warehouse, category, brand, SKU), kept in the URL so a report
// can be bookmarked, shared and drilled into.
import type { ReactNode } from "react";
import { Select, Space, TreeSelect } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request, type Page, type Query } from "../../api/http";
import type { Brand, Store } from "../../api/contract";
import { SkuPicker } from "../../components/SkuPicker";
import { useCategoryTree, useWarehouseOptions } from "../../features/stock/queries";
import { useUrlFilters } from "../stock-reports/filters";

export const FILTER_KEYS = ["store", "warehouse", "category", "brand", "sku"] as const;

export function useBrandOptions() {
  const brands = useQuery({
    queryKey: ["/api/v1/brands/", "all"],
    queryFn: () => request<Page<Brand>>("GET", "/api/v1/brands/", { query: { page_size: 500 } }),
    staleTime: 60_000,
  });
  return (brands.data?.results ?? []).map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }));
}

export function useStoreOptions() {
  const stores = useQuery({
    queryKey: ["/api/v1/stores/", "all"],
    queryFn: () => request<Page<Store>>("GET", "/api/v1/stores/", { query: { page_size: 500 } }),
    staleTime: 60_000,
  });
  return (stores.data?.results ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}

/** The shared filters of the URL as an API query. */
export function useReportQuery(): { filters: ReturnType<typeof useUrlFilters>; query: Query } {
  const filters = useUrlFilters();
  const query: Query = {};
  for (const key of FILTER_KEYS) query[key] = filters.number(key);
  return { filters, query };
}

export function ReportFilters({ onChange, children }: { onChange: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const warehouses = useWarehouseOptions();
  const categories = useCategoryTree();
  const brands = useBrandOptions();
  const stores = useStoreOptions();
  const set = (key: string, value: number | undefined) => {
    filters.set({ [key]: value });
    onChange();
  };
  return (
    <Space style={{ marginBottom: 12 }} wrap data-testid="report-filters">
      {children}
      {stores.length > 1 ? (
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
      <Select
        allowClear
        placeholder={t("reports.warehouse")}
        style={{ minWidth: 170 }}
        value={filters.number("warehouse")}
        onChange={(value: number | undefined) => set("warehouse", value)}
        options={warehouses}
        data-testid="filter-warehouse"
      />
      <TreeSelect
        allowClear
        placeholder={t("reports.category")}
        style={{ minWidth: 170 }}
        value={filters.number("category")}
        onChange={(value: number | undefined) => set("category", value)}
        treeData={categories}
        treeDefaultExpandAll
      />
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
      <SkuPicker value={filters.number("sku")} onChange={(value) => set("sku", value)} />
    </Space>
  );
}
