import { describe, expect, it } from "vitest";
import { formatQuantity, splitQuantity } from "./quantity";

const box = { name: "箱", factor: "12" };

describe("unit conversion display", () => {
  it("shows boxes and pieces", () => {
    expect(formatQuantity("27", "个", [box])).toBe("2 箱 3 个");
    expect(formatQuantity("24.000", "个", [box])).toBe("2 箱");
  });
  it("shows base units below one box or without conversions", () => {
    expect(formatQuantity("5", "个", [box])).toBe("5 个");
    expect(formatQuantity("5.250", "kg")).toBe("5.25 kg");
  });
  it("uses the largest unit and ignores factors not above 1", () => {
    const units = [box, { name: "托", factor: "240" }, { name: "半个", factor: "0.5" }];
    expect(splitQuantity("500", "个", units)).toEqual({
      big: { quantity: "2", unit: "托" },
      base: { quantity: "20", unit: "个" },
    });
  });
  it("keeps the sign on negative stock", () => {
    expect(formatQuantity("-27", "个", [box])).toBe("-2 箱 -3 个");
  });
});
