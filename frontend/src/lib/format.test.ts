import { describe, expect, it } from "vitest";
import { formatAmount, formatAmountGrouped, formatMoney, formatQty } from "./format";

describe("format", () => {
  it("shows quantities without trailing zeros", () => {
    expect(formatQty("4.0000")).toBe("4");
    expect(formatQty("2.5000")).toBe("2.5");
    expect(formatQty(null)).toBe("");
  });
  it("shows money with at least two places", () => {
    expect(formatMoney("3.5000")).toBe("3.50");
    expect(formatMoney("0.0000")).toBe("0.00");
    expect(formatMoney("1.2345")).toBe("1.2345");
    expect(formatMoney("-12")).toBe("-12.00");
  });
  it("groups the thousands of headline amounts", () => {
    expect(formatAmountGrouped("92362.7149")).toBe("92,362.71");
    expect(formatAmountGrouped("-1234567")).toBe("-1,234,567.00");
    expect(formatAmountGrouped("999.5")).toBe("999.50");
    expect(formatAmount("92362.7149")).toBe("92362.71");
  });
});
