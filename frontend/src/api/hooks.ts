// Shared queries of master data used by several pages.
import { useQuery } from "@tanstack/react-query";
import { request, type Page } from "./http";
import type { Unit, Warehouse } from "./contract";

export function useWarehouses() {
  return useQuery({
    queryKey: ["warehouses", "all"],
    queryFn: () =>
      request<Page<Warehouse>>("GET", "/api/v1/warehouses/", { query: { page_size: 500 } }),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

export function useUnits() {
  return useQuery({
    queryKey: ["units", "all"],
    queryFn: () => request<Page<Unit>>("GET", "/api/v1/units/", { query: { page_size: 500 } }),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}
