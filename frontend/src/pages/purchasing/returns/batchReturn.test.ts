import { describe, expect, it } from "vitest";
import type { PurchaseReturnRow, ReturnableRow } from "../../../api/contract";
import { batchLinesBody, draftBatchLines, returnQuantityIssue, skuChoices, sourceOptions } from "./batchReturn";

const row = (receipt_line: number, batch: number | null, returnable: string, sku = 1): ReturnableRow => ({
  receipt_line,
  receipt: 100 + receipt_line,
  receipt_number: `RK${receipt_line}`,
  posted_at: "2026-11-01T08:00:00Z",
  sku,
  sku_code: sku === 1 ? "MILK" : "COLA",
  sku_name: sku === 1 ? "牛奶" : "可乐",
  unit: 5,
  unit_name: "盒",
  factor: "1",
  base_unit: 5,
  base_unit_name: "盒",
  base_unit_precision: 0,
  batch,
  batch_no: batch ? `L${batch}` : "",
  received: "10",
  returned: "0",
  returnable,
  unit_cost: "2.0000",
});

describe("batch return lines", () => {
  const rows = [row(1, 7, "4"), row(2, 7, "6"), row(3, 8, "5"), row(4, null, "3", 2)];

  it("sums what may go back per batch; a SKU without batches goes back by receipt line", () => {
    const options = sourceOptions(rows);
    expect([...options.values()].map((o) => [o.value, o.label, o.returnable])).toEqual([
      ["b:7", "L7", 10],
      ["b:8", "L8", 5],
      ["r:4", "RK4", 3],
    ]);
    expect(skuChoices(rows).map((c) => c.label)).toEqual(["COLA 可乐", "MILK 牛奶"]);
  });

  it("reads a draft's lines back per batch and sends complete lines in the base unit", () => {
    const doc = {
      lines: [
        { sku: 1, batch: 7, receipt_line: 1, base_quantity: "4.0000" },
        { sku: 1, batch: 7, receipt_line: 2, base_quantity: "2.0000" },
        { sku: 2, batch: null, receipt_line: 4, base_quantity: "1.0000" },
      ],
    } as unknown as PurchaseReturnRow;
    const lines = draftBatchLines(doc);
    expect(lines).toEqual([
      { key: 1, sku: 1, source: "b:7", quantity: "6" },
      { key: 2, sku: 2, source: "r:4", quantity: "1" },
    ]);
    const body = batchLinesBody([...lines, { key: 3, sku: 1, quantity: "2" }, { key: 4, sku: 1, source: "b:8", quantity: "0" }], sourceOptions(rows));
    expect(body).toEqual([
      { batch: 7, unit: 5, quantity: "6" },
      { receipt_line: 4, unit: 5, quantity: "1" },
    ]);
  });
});

describe("a return quantity as typed", () => {
  it("sums a draft's lines per batch exactly (0.1 + 0.2 kg is 0.3, not 0.30000000000000004)", () => {
    const doc = {
      lines: [
        { sku: 1, batch: 7, receipt_line: 1, base_quantity: "0.1000" },
        { sku: 1, batch: 7, receipt_line: 2, base_quantity: "0.2000" },
      ],
    } as unknown as PurchaseReturnRow;
    expect(draftBatchLines(doc)[0]!.quantity).toBe("0.3");
    expect(returnQuantityIssue("0.3", 3)).toBeNull();
  });

  it("is refused when zero or finer than the base unit allows, as on every document line", () => {
    expect(sourceOptions([row(1, 7, "4")]).get("b:7")).toMatchObject({ baseUnitName: "盒", basePrecision: 0 });
    expect(returnQuantityIssue("1.5", 0)).toBe("lines.tooManyDecimals");
    expect(returnQuantityIssue("1.234", 3)).toBeNull();
    expect(returnQuantityIssue("1.2345", 3)).toBe("lines.tooManyDecimals");
    expect(returnQuantityIssue("0", 0)).toBe("lines.quantityNotPositive");
    expect(returnQuantityIssue("-1", 0)).toBe("lines.quantityNotPositive");
    expect(returnQuantityIssue(null, 0)).toBeNull(); // nothing typed yet
    expect(returnQuantityIssue("1.5", undefined)).toBeNull(); // not known: the server checks it
  });

  it("lets a receipt's line stay at zero (it does not go back)", () => {
    expect(returnQuantityIssue("0", 0, true)).toBeNull();
    expect(returnQuantityIssue("0.5", 0, true)).toBe("lines.tooManyDecimals");
  });
});
