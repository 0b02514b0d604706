// Sorting of stock rows by a clicked column header: decimals compared exactly, text by locale.
import { compareDecimal, isDecimal } from "../../lib/decimal";

export type SortOrder = "ascend" | "descend" | null | undefined;

export function compareValues(a: unknown, b: unknown): number {
  const empty = (v: unknown) => v === null || v === undefined || v === "";
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  if (isDecimal(x) && isDecimal(y)) return compareDecimal(x, y);
  return x.localeCompare(y, "zh-CN");
}

/** The rows sorted by `field` (a stable copy; the input is left as it is). */
export function sortRows<T>(rows: readonly T[], field: keyof T | undefined, order: SortOrder): T[] {
  if (!field || !order) return [...rows];
  const sign = order === "descend" ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[field];
      const y = b.row[field];
      const emptyX = x === null || x === undefined || x === "";
      const emptyY = y === null || y === undefined || y === "";
      if (emptyX || emptyY) return emptyX === emptyY ? a.index - b.index : emptyX ? 1 : -1;
      return sign * compareValues(x, y) || a.index - b.index;
    })
    .map(({ row }) => row);
}
