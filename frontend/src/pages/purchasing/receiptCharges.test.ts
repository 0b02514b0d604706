import { describe, expect, it } from "vitest";
import { chargeBody, chargeEntries, chargeIssues, newCharge } from "./receiptCharges";

describe("receipt charges", () => {
  it("asks for a positive amount to the fen", () => {
    expect(chargeIssues({ ...newCharge(1), amount: "" })).toEqual(["landed.amountIssue"]);
    expect(chargeIssues({ ...newCharge(1), amount: "-3" })).toEqual(["landed.amountIssue"]);
    expect(chargeIssues({ ...newCharge(1), amount: "1.005" })).toEqual(["landed.amountIssue"]);
    expect(chargeIssues({ ...newCharge(1), amount: "12.50", taxAmount: "1.1x" })).toEqual(["landed.taxIssue"]);
    expect(chargeIssues({ ...newCharge(1), amount: "12.50", taxAmount: "1.13" })).toEqual([]);
  });

  it("sends a payee only for a charge not owed to the supplier", () => {
    const entries = [
      { ...newCharge(1), amount: "10", payee: " 顺丰 " },
      { ...newCharge(2), kind: "duty" as const, amount: "3.33", payableToSupplier: true, payee: "x" },
    ];
    expect(chargeBody(entries)).toEqual([
      { kind: "freight", amount: "10", tax_amount: "0", payable_to_supplier: false, payee: "顺丰", notes: "" },
      { kind: "duty", amount: "3.33", tax_amount: "0", payable_to_supplier: true, payee: "", notes: "" },
    ]);
  });

  it("reads saved charges back", () => {
    const rows = [
      { id: 1, line_no: 1, kind: "insurance" as const, amount: "5.0000", tax_amount: "0.0000", payable_to_supplier: false, payee: "平安", notes: "" },
    ];
    expect(chargeEntries(rows)).toEqual([
      { key: 1, kind: "insurance", amount: "5", taxAmount: "", payableToSupplier: false, payee: "平安", notes: "" },
    ]);
  });
});
