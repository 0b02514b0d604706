import { describe, expect, it } from "vitest";
import type { PurchaseReceiptRow } from "../../api/contract";
import { receiptLinesBody, receiptScanLines } from "./receiptLines";

type Line = PurchaseReceiptRow["lines"][number];

const line = (patch: Partial<Line>): Line =>
  ({
    id: 1,
    line_no: 1,
    order_line: null,
    sku: 7,
    sku_code: "MILK",
    sku_name: "纯牛奶",
    unit: 3,
    unit_code: "BOX",
    unit_name: "盒",
    base_unit_name: "盒",
    tracking: "batch",
    factor: "1.0000",
    quantity: "10.0000",
    base_quantity: "10.0000",
    rejected_quantity: "0.0000",
    reject_reason: "",
    unit_cost: "2.5000",
    batch: 4,
    batch_no: "L1",
    production_date: "2026-11-01",
    expiry_date: "2026-12-01",
    notes: "",
    charge_amount: "0.0000",
    landed_unit_cost: "2.5000",
    ...patch,
  }) as Line;

describe("receipt lines without an order", () => {
  it("round-trip: saved lines → editor → request, in document order, price per unit", () => {
    const saved = [
      line({}),
      line({
        id: 2,
        line_no: 2,
        sku: 8,
        sku_code: "COLA",
        unit: 9,
        unit_code: "CASE",
        unit_name: "箱",
        base_unit_name: "罐",
        tracking: "none",
        factor: "24.0000",
        quantity: "2.0000",
        rejected_quantity: "1.0000",
        reject_reason: "破损",
        unit_cost: "1.5000",
        batch: null,
        batch_no: "",
        production_date: null,
        expiry_date: null,
      }),
    ];
    const lines = receiptScanLines(saved);
    expect(lines.map((l) => l.skuCode)).toEqual(["COLA", "MILK"]); // the editor shows the last first
    expect(lines[0]).toMatchObject({ unitCost: "36", rejected: "1", rejectReason: "破损", factor: "24" });
    expect(receiptLinesBody(lines)).toEqual([
      {
        sku: 7,
        unit: 3,
        quantity: "10",
        price: "2.5",
        batch_no: "L1",
        production_date: "2026-11-01",
        expiry_date: "2026-12-01",
      },
      { sku: 8, unit: 9, quantity: "2", price: "36", rejected_quantity: "1", reject_reason: "破损" },
    ]);
  });
});
