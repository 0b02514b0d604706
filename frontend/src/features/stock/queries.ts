// Queries shared by the stock pages: the company's time zone, categories as a tree, the
// warehouses in the user's scope (transit warehouses left out).
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";
import { useWarehouses } from "../../api/hooks";
import type { Category } from "../../api/contract";
import { DEFAULT_TIME_ZONE } from "./companyTime";

export function useCompanyTimeZone(): string {
  const company = useQuery({
    queryKey: ["company"],
    queryFn: () => ok(client.GET("/api/v1/company/")),
    staleTime: 300_000,
  });
  return company.data?.time_zone || DEFAULT_TIME_ZONE;
}

/** Warehouse options of the user's scope (/api/v1/warehouses/ is scoped by the API). */
export function useWarehouseOptions() {
  const warehouses = useWarehouses();
  return useMemo(
    () =>
      (warehouses.data ?? [])
        .filter((w) => w.kind !== "transit")
        .map((w) => ({ value: w.id, label: `${w.code} ${w.name}` })),
    [warehouses.data],
  );
}

export interface CategoryNode {
  value: number;
  title: string;
  children: CategoryNode[];
}

/** Flat categories (with `parent`) → a tree for Ant Design's TreeSelect, in list order. */
export function categoryTree(categories: readonly Pick<Category, "id" | "code" | "name" | "parent">[]): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  for (const c of categories) nodes.set(c.id, { value: c.id, title: `${c.code} ${c.name}`, children: [] });
  const roots: CategoryNode[] = [];
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parent === null || c.parent === undefined ? undefined : nodes.get(c.parent);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function useCategoryTree() {
  const categories = useQuery({
    queryKey: ["categories", "all"],
    queryFn: () =>
      ok(client.GET("/api/v1/categories/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
  });
  return useMemo(() => categoryTree(categories.data?.results ?? []), [categories.data]);
}
