import { describe, expect, it } from "vitest";
import { addDecimal, compareDecimal, divideWhole, multiplyDecimal, normalizeDecimal, roundDecimal } from "./decimal";

describe("decimal", () => {
  it("adds exactly where floats do not", () => {
    expect(addDecimal("0.1", "0.2")).toBe("0.3");
    expect(addDecimal("1.50", "1")).toBe("2.5");
    expect(addDecimal("-3", "1.25")).toBe("-1.75");
  });
  it("multiplies and compares", () => {
    expect(multiplyDecimal("2", "12")).toBe("24");
    expect(multiplyDecimal("0.5", "0.25")).toBe("0.125");
    expect(compareDecimal("2.50", "2.5")).toBe(0);
    expect(compareDecimal("10", "9.999")).toBe(1);
  });
  it("divides into whole units and a remainder", () => {
    expect(divideWhole("27", "12")).toEqual({ whole: "2", rest: "3" });
    expect(divideWhole("-27", "12")).toEqual({ whole: "-2", rest: "-3" });
    expect(divideWhole("2.5", "1")).toEqual({ whole: "2", rest: "0.5" });
  });
  it("normalises", () => {
    expect(normalizeDecimal("2.500")).toBe("2.5");
    expect(normalizeDecimal("-0.000")).toBe("0");
    expect(() => normalizeDecimal("abc")).toThrow();
  });
});

describe("roundDecimal", () => {
  it("rounds half away from zero, exactly", () => {
    expect(roundDecimal("6875.3078", 2)).toBe("6875.31");
    expect(roundDecimal("2.005", 2)).toBe("2.01");
    expect(roundDecimal("-2.005", 2)).toBe("-2.01");
    expect(roundDecimal("0.004", 2)).toBe("0");
    expect(roundDecimal("12.5", 2)).toBe("12.5");
  });
});
