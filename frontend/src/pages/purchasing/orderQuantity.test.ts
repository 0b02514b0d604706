import { describe, expect, it } from "vitest";
import { inOrderUnit } from "./orderQuantity";

const box = { unit: 2, unit_name: "箱", base_unit: 1, base_unit_name: "罐", factor: "24.000000" };

describe("an order line's received and open quantities", () => {
  it("are in the order unit, like the ordered quantity", () => {
    expect(inOrderUnit("0", box)).toBe("0 箱");
    expect(inOrderUnit("240.000", box)).toBe("10 箱");
    expect(inOrderUnit("48", box)).toBe("2 箱");
  });

  it("say both units where the base quantity is not whole order units", () => {
    expect(inOrderUnit("25", box)).toBe("1 箱 1 罐");
    expect(inOrderUnit("5", box)).toBe("5 罐");
  });

  it("keep a line ordered in the base unit as it is", () => {
    expect(inOrderUnit("7.500", { ...box, unit: 1, unit_name: "罐", factor: "1" })).toBe("7.5 罐");
  });
});
