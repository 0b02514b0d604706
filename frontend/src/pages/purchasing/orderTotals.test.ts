import { describe, expect, it } from "vitest";
import type { SupplierItemRow } from "../../api/contract";
import { addLine, lineFromCatalogue, orderLineIssues, orderLinesPayload } from "./orderLines";
import { lineAmounts, money, orderTotals } from "./orderTotals";

// The same cases as the server's tests (purchasing/tests/test_order_services.py).
describe("lineAmounts", () => {
  it("tax-exclusive: rounds the net, then the tax, to the fen", () => {
    // 3 × 3.3333 = 9.9999 → 10.00; tax 1.30; gross 11.30
    expect(lineAmounts({ quantity: "3", price: "3.3333", taxRate: "13", discount: "0" }, false)).toEqual({
      net: "10.00",
      tax: "1.30",
      gross: "11.30",
    });
  });

  it("tax-inclusive: rounds the gross, then derives the net", () => {
    // 7 × 1.99 × 0.95 = 13.2335 → 13.23; net 13.23 / 1.09 = 12.1376… → 12.14; tax 1.09
    expect(lineAmounts({ quantity: "7", price: "1.99", taxRate: "9", discount: "5" }, true)).toEqual({
      net: "12.14",
      tax: "1.09",
      gross: "13.23",
    });
  });

  it("rounds half up at exactly half a fen", () => {
    // 1 × 0.125 = 0.125 → 0.13 (never banker's 0.12)
    expect(lineAmounts({ quantity: "1", price: "0.125", taxRate: "0", discount: "0" }, false).net).toBe("0.13");
  });

  it("is zero while a field is not a number yet", () => {
    expect(lineAmounts({ quantity: "", price: "2", taxRate: "13", discount: "0" }, true)).toEqual({
      net: "0.00",
      tax: "0.00",
      gross: "0.00",
    });
  });
});

describe("orderTotals", () => {
  it("sums the rounded lines", () => {
    const lines = [
      { quantity: "3", price: "3.3333", taxRate: "13", discount: "0" },
      { quantity: "1", price: "0.125", taxRate: "0", discount: "" },
    ];
    expect(orderTotals(lines, false)).toEqual({ net: "10.13", tax: "1.30", gross: "11.43" });
  });

  it("matches 24.00 × 250 incl. 13 % VAT", () => {
    expect(orderTotals([{ quantity: "250", price: "24.00", taxRate: "13", discount: "0" }], true)).toEqual({
      net: "5309.73",
      tax: "690.27",
      gross: "6000.00",
    });
  });
});

describe("money", () => {
  it("shows the API's money to the fen", () => {
    expect(money("48.0000")).toBe("48.00");
    expect(money("60065.4000")).toBe("60,065.40");
    expect(money("0.0050")).toBe("0.01");
    expect(money(null)).toBe("");
  });
});


const item = {
  id: 1,
  supplier: 3,
  sku: 9,
  sku_detail: { id: 9, code: "K9", name: "可乐", spec: "", base_unit: { id: 2, code: "PCS", name: "瓶", precision: 0 } },
  purchase_unit: 5,
  purchase_unit_detail: { id: 5, code: "BOX", name: "箱", precision: 0 },
  pack_size: "12.0000",
  price: "24.0000",
  min_order_qty: "0.0000",
} as unknown as SupplierItemRow;

describe("order lines", () => {
  it("start from the catalogue: purchase unit, pack size, price and the supplier's VAT", () => {
    const line = lineFromCatalogue(item, "13");
    expect([line.unit, line.unitName, line.packSize, line.price, line.taxRate, line.quantity]).toEqual([
      5,
      "箱",
      "12",
      "24.0000",
      "13",
      "1",
    ]);
    expect(orderLineIssues(line)).toEqual([]);
  });

  it("add one more unit when the SKU is already on the order", () => {
    const once = addLine([], lineFromCatalogue(item, "13"));
    const twice = addLine(once, lineFromCatalogue(item, "13"));
    expect(twice).toHaveLength(1);
    expect(twice[0]!.quantity).toBe("2");
  });

  it("name what is still wrong and send the API's line input", () => {
    const line = { ...lineFromCatalogue(item, "9"), price: "", discount: "120" };
    expect(orderLineIssues(line)).toEqual(["purchase.priceRequired", "purchase.badDiscount"]);
    const fixed = { ...line, price: "23.50", discount: "5", expectedDate: "2026-12-24" };
    expect(orderLinesPayload([fixed])).toEqual([
      { sku: 9, quantity: "1", price: "23.5", tax_rate: "9", discount: "5", unit: 5, expected_date: "2026-12-24" },
    ]);
  });
});
