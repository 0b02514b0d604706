import { describe, expect, it } from "vitest";
import { documentPath } from "./kinds";

describe("ledger links", () => {
  it("lead to the document's page", () => {
    expect(documentPath("stock_document", "stock_in", 4)).toBe("/inventory/stock-ins/4");
    expect(documentPath("stock_document", "scrap", 5)).toBe("/inventory/scraps/5");
    expect(documentPath("transfer", "transfer_out", 6)).toBe("/inventory/transfers/6");
    expect(documentPath("stock_count", "count_gain", 7)).toBe("/inventory/stock-counts/7");
    expect(documentPath("purchase_receipt", "purchase_receipt", 8)).toBe("/purchasing/receipts/8");
    expect(documentPath("purchase_return", "purchase_return", 9)).toBe("/purchasing/returns/9");
    expect(documentPath("sale", "sale", 10)).toBeNull(); // a type without a page yet
  });
});
