// The header of a draft stock count as the edit form holds it, the PATCH that saves it (with the
// version it was read at: 409 stale_version when someone saved in between), and the names of
// the scope's categories and locations.
import type { components } from "../../api/schema";
import type { StockCountRow } from "../../api/contract";
import { normalizeDecimal } from "../../lib/decimal";

export type StockCountUpdate = components["schemas"]["PatchedStockCountUpdateRequest"];

export interface CountHeaderValues {
  categories: number[];
  locations: number[];
  blind: boolean;
  approval_threshold: string | null; // empty: the company's threshold
  notes: string;
}

export function headerValues(count: StockCountRow): CountHeaderValues {
  return {
    categories: [...count.categories],
    locations: [...count.locations],
    blind: count.blind,
    approval_threshold: count.approval_threshold === null ? null : normalizeDecimal(count.approval_threshold),
    notes: count.notes,
  };
}

export function headerPayload(values: CountHeaderValues, version: number): StockCountUpdate {
  const threshold = values.approval_threshold?.trim();
  return {
    version,
    categories: values.categories ?? [],
    locations: values.locations ?? [],
    blind: values.blind,
    approval_threshold: threshold ? threshold : null,
    notes: (values.notes ?? "").trim(),
  };
}

export interface TreeOption {
  value: number;
  title: string;
  children: TreeOption[];
}

/** id → title of every node of a tree of options (categories). */
export function treeTitles(nodes: readonly TreeOption[], into = new Map<number, string>()): Map<number, string> {
  for (const node of nodes) {
    into.set(node.value, node.title);
    treeTitles(node.children, into);
  }
  return into;
}

/** The titles of `ids`, in their order (ids not loaded yet are left out). */
export function titlesOf(ids: readonly number[], titles: ReadonlyMap<number, string>): string[] {
  return ids.flatMap((id) => {
    const title = titles.get(id);
    return title === undefined ? [] : [title];
  });
}
