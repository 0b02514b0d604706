import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { toBody, toValues } from "./supplierItemForm";

describe("supplier item form", () => {
  it("sends empty optional fields as null and dates as days", () => {
    const body = toBody(
      { supplier: 1, sku: 2, price: " 25.20 ", pack_size: "", price_valid_from: dayjs("2026-03-01"), price_valid_to: null, lead_time_days: null },
      false,
    );
    expect(body).toMatchObject({ supplier: 1, sku: 2, price: "25.20", pack_size: null, price_valid_from: "2026-03-01", price_valid_to: null, lead_time_days: null, min_order_qty: "0" });
  });

  it("never sends supplier or SKU when editing, and the price note only when given", () => {
    const body = toBody({ supplier: 1, sku: 2, price: "3", price_note: "" }, true);
    expect("supplier" in body).toBe(false);
    expect("sku" in body).toBe(false);
    expect("price_note" in body).toBe(false);
    expect(toBody({ price: "3", price_note: "涨价" }, true).price_note).toBe("涨价");
  });

  it("starts a new row valid from today, active, not preferred", () => {
    const values = toValues(null);
    expect(values.price_valid_from?.format("YYYY-MM-DD")).toBe(dayjs().format("YYYY-MM-DD"));
    expect([values.active, values.preferred]).toEqual([true, false]);
  });
});
