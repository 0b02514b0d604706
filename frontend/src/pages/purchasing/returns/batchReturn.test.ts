import { describe, expect, it } from "vitest";
import type { PurchaseReturnRow, ReturnableRow } from "../../../api/contract";
import { batchLinesBody, draftBatchLines, skuChoices, sourceOptions } from "./batchReturn";

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
      { key: 1, sku: 1, source: "b:7", quantity: 6 },
      { key: 2, sku: 2, source: "r:4", quantity: 1 },
    ]);
    const body = batchLinesBody([...lines, { key: 3, sku: 1, quantity: 2 }], sourceOptions(rows));
    expect(body).toEqual([
      { batch: 7, unit: 5, quantity: "6" },
      { receipt_line: 4, unit: 5, quantity: "1" },
    ]);
  });
});
