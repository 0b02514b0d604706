// Purchasing's shared look-ups: the suppliers (for pickers and filters) and a supplier's
// catalogue (units, pack sizes and prices an order line starts from).
import { useQuery } from "@tanstack/react-query";
import { request, type Page } from "../../api/http";
import type { SupplierItemRow, SupplierRow } from "../../api/contract";

export function useSupplierList() {
  return useQuery({
    queryKey: ["/api/v1/suppliers/", "all"],
    queryFn: () => request<Page<SupplierRow>>("GET", "/api/v1/suppliers/", { query: { page_size: 500 } }),
    staleTime: 60_000,
  });
}

export function useSupplierOptions(includeId?: number) {
  const suppliers = useSupplierList();
  return (suppliers.data?.results ?? [])
    .filter((s) => s.active !== false || s.id === includeId)
    .map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}

/** The active catalogue of one supplier (up to 500 items), for useQuery or fetchQuery. */
export function catalogueQuery(supplierId: number | undefined) {
  return {
    queryKey: ["/api/v1/supplier-items/", "catalogue", supplierId],
    queryFn: () =>
      request<Page<SupplierItemRow>>("GET", "/api/v1/supplier-items/", {
        query: { supplier: supplierId, active: true, page_size: 500 },
      }),
    staleTime: 30_000,
  };
}
