import { describe, expect, it } from "vitest";
import type { OpenItemRow } from "../../api/contract";
import { beyondTolerance } from "./SupplierInvoiceCreatePage";
import { allocateOldestFirst } from "./SupplierPaymentCreatePage";

describe("beyondTolerance", () => {
  it("flags a price further from the order's than the tolerance", () => {
    expect(beyondTolerance("24.50", "24.0000", "1")).toBe(true); // 2.08 %
    expect(beyondTolerance("24.20", "24.0000", "1")).toBe(false); // 0.83 %
    expect(beyondTolerance("23.70", "24.0000", "1")).toBe(true); // below, 1.25 %
    expect(beyondTolerance("24.24", "24.0000", "1")).toBe(false); // exactly at the edge
    expect(beyondTolerance("1", "0", "1")).toBe(true);
  });
});

describe("allocateOldestFirst", () => {
  const item = (document_id: number, amount: string, claimed = "0.00"): OpenItemRow => ({
    kind: "supplierinvoice",
    document_id,
    number: `FP${document_id}`,
    store: 1,
    date: "2026-11-01",
    due_date: "2026-12-01",
    amount,
    claimed,
    available: (Number(amount) - Number(claimed)).toFixed(2),
    claims: Number(claimed) ? [{ payment: 9, number: "FK9", amount: claimed }] : [],
  });
  it("fills the items in order, each up to what is open", () => {
    expect(allocateOldestFirst([item(1, "100.00"), item(2, "50.00"), item(3, "10.00")], 120.5)).toEqual({
      "supplierinvoice:1": "100.00",
      "supplierinvoice:2": "20.50",
    });
  });

  it("leaves out what other drafts already claim", () => {
    expect(allocateOldestFirst([item(1, "100.00", "70.00"), item(2, "50.00", "50.00"), item(3, "10.00")], 60)).toEqual({
      "supplierinvoice:1": "30.00",
      "supplierinvoice:3": "10.00",
    });
  });
});
