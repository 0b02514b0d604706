// Purchasing's shared look-ups: the suppliers (for pickers and filters) and a supplier's
// catalogue (units, pack sizes and prices an order line starts from).
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";
import { useAuth } from "../../auth/auth";

export function useSupplierList() {
  return useQuery({
    queryKey: ["/api/v1/suppliers/", "all"],
    queryFn: () => ok(client.GET("/api/v1/suppliers/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
  });
}

export function useSupplierOptions(includeId?: number) {
  const suppliers = useSupplierList();
  return (suppliers.data?.results ?? [])
    .filter((s) => s.active !== false || s.id === includeId)
    .map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
}

export const RATING_DAYS = 90;

/** Each supplier's score over the last 90 days (supplier rating), for the supplier picker:
 * {supplier id: score}; empty for a user who may not read the rating. */
export function useSupplierScores(today: string): Map<number, string> {
  const { can } = useAuth();
  const from = new Date(`${today}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - (RATING_DAYS - 1));
  const scores = useQuery({
    queryKey: ["/api/v1/reports/supplier-rating/", "picker", today],
    queryFn: () =>
      ok(client.GET("/api/v1/reports/supplier-rating/", { params: { query: { date_from: from.toISOString().slice(0, 10), date_to: today, page_size: 500 } } })),
    staleTime: 300_000,
    enabled: can("reportPurchases"),
  });
  return new Map(
    (scores.data?.results ?? []).filter((r) => r.score !== null).map((r) => [r.supplier, r.score as string]),
  );
}

/** The active catalogue of one supplier (up to 500 items), for useQuery or fetchQuery. */
export function catalogueQuery(supplierId: number | undefined) {
  return {
    queryKey: ["/api/v1/supplier-items/", "catalogue", supplierId],
    queryFn: () =>
      ok(client.GET("/api/v1/supplier-items/", { params: { query: { supplier: supplierId, active: true, page_size: 500 } } })),
    staleTime: 30_000,
  };
}
