// Shared look-ups of the finance pages: suppliers and stores for the pickers.
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";
import type { SupplierRow } from "../../api/contract";

export function useSuppliers() {
  return useQuery({
    queryKey: ["/api/v1/suppliers/", "all"],
    queryFn: () => ok(client.GET("/api/v1/suppliers/", { params: { query: { page_size: 500 } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

export function useStores() {
  return useQuery({
    queryKey: ["/api/v1/stores/", "all"],
    queryFn: () => ok(client.GET("/api/v1/stores/", { params: { query: { page_size: 500 } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

export function supplierOptions(rows: SupplierRow[] | undefined) {
  return (rows ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}
