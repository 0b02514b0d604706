import { describe, expect, it } from "vitest";
import type { PurchaseOrderLineRow } from "../../api/contract";
import { hasReceived, linesFromOrder, orderLineIssues, revisionLinesPayload } from "./orderLines";

const saved = (id: number, received: string): PurchaseOrderLineRow =>
  ({
    id,
    line_no: id,
    sku: 10 + id,
    sku_code: `K${id}`,
    sku_name: `商品${id}`,
    unit: 3,
    unit_code: "box",
    unit_name: "箱",
    base_unit: 1,
    base_unit_code: "pcs",
    base_unit_name: "个",
    base_unit_precision: 0,
    tracking: "none",
    factor: "12.0000",
    quantity: "10.0000",
    base_quantity: "120.0000",
    price: "24.0000",
    tax_rate: "13.00",
    discount: "0.00",
    net_amount: "212.3900",
    tax_amount: "27.6100",
    gross_amount: "240.0000",
    expected_date: "2026-12-20",
    received_quantity: received,
    open_quantity: "0",
    notes: "",
  }) as PurchaseOrderLineRow;

describe("a revision's lines", () => {
  it("name the saved lines by id, not the new ones, and keep the received quantity", () => {
    const lines = linesFromOrder([saved(1, "48.0000"), saved(2, "0.0000")]);
    expect(lines.map(hasReceived)).toEqual([true, false]);
    const added = { ...lines[1]!, key: "new", id: undefined, received: undefined, sku: 99, quantity: "2" };
    const payload = revisionLinesPayload([lines[0]!, added]);
    expect(payload).toEqual([
      { id: 1, sku: 11, unit: 3, quantity: "10", price: "24", tax_rate: "13", discount: "0", expected_date: "2026-12-20" },
      { sku: 99, unit: 3, quantity: "2", price: "24", tax_rate: "13", discount: "0", expected_date: "2026-12-20" },
    ]);
  });
});

describe("an order line's quantity", () => {
  const line = { ...linesFromOrder([saved(1, "0")])[0]!, id: undefined, received: undefined, basePrecision: 0 }; // a case of 12
  it("is refused as typed when zero or finer than the base unit (quantity × pack size)", () => {
    expect(orderLineIssues({ ...line, quantity: "0" })).toEqual(["lines.quantityNotPositive"]);
    expect(orderLineIssues({ ...line, quantity: "0.1" })).toEqual(["lines.tooManyDecimals"]); // 1.2 个
    expect(orderLineIssues({ ...line, quantity: "0.5" })).toEqual([]); // 6 个
    expect(orderLineIssues({ ...line, quantity: "" })).toEqual(["lines.badQuantity"]);
  });
  it("is checked on a saved order's lines too: their base unit's places come with them", () => {
    const [kept] = linesFromOrder([saved(1, "0")]);
    expect(kept!.basePrecision).toBe(0);
    expect(orderLineIssues({ ...kept!, quantity: "0.1" })).toEqual(["lines.tooManyDecimals"]); // 1.2 个
    expect(orderLineIssues({ ...kept!, quantity: "0.25" })).toEqual([]); // 3 个
  });
});
