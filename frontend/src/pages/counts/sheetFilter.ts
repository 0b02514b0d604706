// Which lines of a count sheet to show: a counter looks for what is still uncounted, a manager
// for the differences and the recounts; a search narrows by SKU code, name or barcode.
import { addDecimal, compareDecimal } from "../../lib/decimal";

export type SheetView = "all" | "uncounted" | "difference" | "recount";

export interface SheetLine {
  sku_code: string;
  sku_name: string;
  barcode?: string | null;
  book_quantity: string | null;
  counted_quantity: string | null;
  difference: string | null;
  recount_requested: boolean;
}

function matches(line: SheetLine, view: SheetView): boolean {
  switch (view) {
    case "uncounted":
      return line.counted_quantity === null;
    case "difference":
      // before the count is submitted: counted against book (moves since are settled then)
      if (line.difference === null) {
        return (
          line.counted_quantity !== null &&
          line.book_quantity !== null &&
          compareDecimal(line.counted_quantity, line.book_quantity) !== 0
        );
      }
      return compareDecimal(line.difference, "0") !== 0;
    case "recount":
      return line.recount_requested;
    default:
      return true;
  }
}

export function filterSheet<T extends SheetLine>(lines: readonly T[], view: SheetView, search: string): T[] {
  const text = search.trim().toLowerCase();
  return lines.filter(
    (line) =>
      matches(line, view) &&
      (!text ||
        line.sku_code.toLowerCase().includes(text) ||
        line.sku_name.toLowerCase().includes(text) ||
        (line.barcode ?? "").toLowerCase().includes(text)),
  );
}

/** A line's difference: the server's once submitted, else counted − book while counting
 *  (null when not counted or the book is hidden). */
export function liveDifference(line: Pick<SheetLine, "difference" | "counted_quantity" | "book_quantity">): string | null {
  if (line.difference !== null) return line.difference;
  if (line.counted_quantity === null || line.book_quantity === null) return null;
  return addDecimal(line.counted_quantity, line.book_quantity.startsWith("-") ? line.book_quantity.slice(1) : `-${line.book_quantity}`);
}

/** How many lines each view would show (for the view switch's labels). */
export function sheetCounts(lines: readonly SheetLine[]): Record<SheetView, number> {
  const views: SheetView[] = ["all", "uncounted", "difference", "recount"];
  return Object.fromEntries(views.map((view) => [view, lines.filter((l) => matches(l, view)).length])) as Record<
    SheetView,
    number
  >;
}
