// Pure helpers of the list pages: a table's sort → the API's `ordering=`, and the list filters
// → the export URL (so an export holds what the list shows).
import type { SorterResult } from "antd/es/table/interface";

/** Ant Design's sorter → "code" / "-name" / "" (no sort); the column key is the API field. */
export function orderingParam<T>(sorter: SorterResult<T> | SorterResult<T>[]): string {
  const first = Array.isArray(sorter) ? sorter[0] : sorter;
  if (!first?.order || first.columnKey === undefined) return "";
  return `${first.order === "descend" ? "-" : ""}${String(first.columnKey)}`;
}

/** The column's sort order for Ant Design from the current `ordering=` value. */
export function sortOrderOf(ordering: string, key: string): "ascend" | "descend" | null {
  if (ordering === key) return "ascend";
  if (ordering === `-${key}`) return "descend";
  return null;
}

/** `<api>export/?format=xlsx&…` with the non-empty filters of the list. */
export function exportUrl(api: string, filters: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams({ format: "xlsx" });
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  return `${api}export/?${query.toString()}`;
}
