import { describe, expect, it } from "vitest";
import { filterSheet, sheetCounts, type SheetLine } from "./sheetFilter";

const line = (code: string, patch: Partial<SheetLine> = {}): SheetLine => ({
  sku_code: code,
  sku_name: `名称 ${code}`,
  barcode: `69${code}`,
  book_quantity: "1",
  counted_quantity: "1",
  difference: "0.000",
  recount_requested: false,
  ...patch,
});

const lines = [
  line("A"),
  line("B", { counted_quantity: null, difference: null }),
  line("C", { difference: "-2.000" }),
  line("D", { book_quantity: null, difference: null, recount_requested: true }), // blind count
  line("E", { counted_quantity: "3", difference: null }), // still counting: 3 counted, book 1
];

describe("count sheet views", () => {
  it("keeps the uncounted, the differences or the recounts", () => {
    expect(filterSheet(lines, "uncounted", "").map((l) => l.sku_code)).toEqual(["B"]);
    expect(filterSheet(lines, "difference", "").map((l) => l.sku_code)).toEqual(["C", "E"]);
    expect(filterSheet(lines, "recount", "").map((l) => l.sku_code)).toEqual(["D"]);
    expect(sheetCounts(lines)).toEqual({ all: 5, uncounted: 1, difference: 2, recount: 1 });
  });

  it("searches code, name and barcode within the view", () => {
    expect(filterSheet(lines, "all", " c ").map((l) => l.sku_code)).toEqual(["C"]);
    expect(filterSheet(lines, "all", "名称 d").map((l) => l.sku_code)).toEqual(["D"]);
    expect(filterSheet(lines, "all", "69B").map((l) => l.sku_code)).toEqual(["B"]);
    expect(filterSheet(lines, "uncounted", "A")).toEqual([]);
  });
});
