// What the line editor offers to choose from: the warehouse's bin locations and a SKU's batches.
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";


/** The active bin locations of a warehouse (none while no warehouse is chosen). */
export function useLocations(warehouseId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: ["/api/v1/locations/", "of-warehouse", warehouseId],
    queryFn: () =>
      ok(client.GET("/api/v1/locations/", { params: { query: { warehouse: warehouseId, active: true, ordering: "code", page_size: 500 } } })),
    select: (page) => page.results,
    enabled: enabled && warehouseId !== undefined,
    staleTime: 60_000,
  });
}

/** The shelf life of a SKU's product in days (null: none set). */
export function useSkuShelfLife(skuId: number): number | null {
  const sku = useQuery({
    queryKey: ["/api/v1/skus/", skuId],
    queryFn: () => ok(client.GET("/api/v1/skus/{id}/", { params: { path: { id: skuId } } })),
    staleTime: 300_000,
  });
  return sku.data?.shelf_life_days ?? null;
}

/** The batches of a SKU with stock, in one warehouse or (without one) in every warehouse in scope. */
export function useSkuBatches(skuId: number, warehouseId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: ["/api/v1/batches/", "of-sku", skuId, warehouseId ?? null],
    queryFn: () =>
      ok(client.GET("/api/v1/batches/", { params: { query: { sku: skuId, warehouse: warehouseId, page_size: 100 } } })),
    select: (page) => page.results,
    enabled,
    staleTime: 10_000,
  });
}
