// Shared queries of master data used by several pages.
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "./http";

export function useWarehouses() {
  return useQuery({
    queryKey: ["warehouses", "all"],
    queryFn: () => ok(client.GET("/api/v1/warehouses/", { params: { query: { page_size: 500 } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

export function useUnits() {
  return useQuery({
    queryKey: ["units", "all"],
    queryFn: () => ok(client.GET("/api/v1/units/", { params: { query: { page_size: 500 } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}
