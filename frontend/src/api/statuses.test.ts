// Each document type's status is its own enum in the generated client (the server's per-type
// choices, docs/ledger.md): a status another type has is a type error (checked by `tsc`, which
// fails if an `@ts-expect-error` below stops being an error), and the enums hold what they should.
import { describe, expect, it } from "vitest";
import type { StockCountStatus, StockDocumentStatus, TransferStatus } from "./contract";

describe("per-type document statuses", () => {
  it("refuses a status of another type", () => {
    // @ts-expect-error a stock document is never shipped (a transfer is)
    const shipped: StockDocumentStatus = "shipped";
    // @ts-expect-error a transfer is never counting (a stock count is)
    const counting: TransferStatus = "counting";
    // @ts-expect-error a stock count is never partially received
    const partial: StockCountStatus = "partially_received";
    const ok: [StockDocumentStatus, TransferStatus, StockCountStatus] = ["posted", "shipped", "counting"];
    expect([shipped, counting, partial, ...ok]).toHaveLength(6);
  });
});
