import { describe, expect, it } from "vitest";
import type { PurchaseRequestRow } from "../../../api/contract";
import { linesWithNewSku, requestLineMeasure, requestQuantityIssue, savedMeasure } from "./requestLines";

const saved = {
  id: 1,
  line_no: 1,
  sku: 11,
  sku_code: "COLA",
  sku_name: "可乐",
  unit: 3,
  unit_name: "箱",
  base_unit_name: "个",
  base_unit_precision: 0,
  quantity: "2.0000",
  factor: "10.0000",
  base_quantity: "20.0000",
} as NonNullable<PurchaseRequestRow["lines"]>[number];

describe("a purchase request line's quantity", () => {
  const pieces = { name: "个", precision: 0 };
  const kilograms = { name: "千克", precision: 3 };

  it("is in the base unit of the SKU picked on a new line", () => {
    const measure = requestLineMeasure({ sku: 11 }, pieces);
    expect(measure).toEqual({ factor: "1", unitName: "个", baseUnitName: "个", basePrecision: 0 });
    expect(requestQuantityIssue("1.5", measure)).toBe("lines.tooManyDecimals");
    expect(requestQuantityIssue("2", measure)).toBeNull();
    expect(requestQuantityIssue("0", measure)).toBe("lines.quantityNotPositive");
    expect(requestQuantityIssue("", measure)).toBeNull(); // the required rule says so
    expect(requestQuantityIssue("1.234", requestLineMeasure({ sku: 12 }, kilograms))).toBeNull();
    expect(requestQuantityIssue("1.2345", requestLineMeasure({ sku: 12 }, kilograms))).toBe("lines.tooManyDecimals");
    // the SKU not known yet: the server checks the decimals
    expect(requestQuantityIssue("1.5", requestLineMeasure({}, undefined))).toBeNull();
  });

  it("is in the saved unit on a saved line (0.25 case of 10 = 2.5 个), from what the API sent", () => {
    const line = { sku: 11, unit: 3, saved: savedMeasure(saved) };
    const measure = requestLineMeasure(line, undefined);
    expect(measure).toEqual({ factor: "10", unitName: "箱", baseUnitName: "个", basePrecision: 0 });
    expect(requestQuantityIssue("0.25", measure)).toBe("lines.tooManyDecimals");
    expect(requestQuantityIssue("0.5", measure)).toBeNull(); // 5 个
    // another SKU picked on the saved line: its base unit
    expect(requestLineMeasure({ ...line, sku: 12 }, kilograms)).toEqual({ factor: "1", unitName: "千克", baseUnitName: "千克", basePrecision: 3 });
    // the unit reset on the saved SKU: its base unit
    expect(requestLineMeasure({ ...line, unit: undefined }, undefined).unitName).toBe("个");
  });
});

describe("a purchase request line whose SKU changes", () => {
  it("is found among the form's changed values (its unit is then reset)", () => {
    expect(linesWithNewSku({ lines: [undefined, { sku: 7 }] })).toEqual([1]);
    expect(linesWithNewSku({ lines: [{ sku: 3 }, { sku: 4 }] })).toEqual([0, 1]);
    expect(linesWithNewSku({ lines: [{ quantity: "2" } as { sku?: number }] })).toEqual([]);
    expect(linesWithNewSku({})).toEqual([]);
  });

  it("is measured in the new SKU's base unit once its unit is reset", () => {
    const saved = { sku: 1, unit: 9, factor: "10", unitName: "箱", baseUnitName: "个", basePrecision: 0 };
    // the saved SKU picked again with the unit reset: base units, not cases of 10
    expect(requestLineMeasure({ sku: 1, unit: undefined, saved }, undefined).factor).toBe("1");
    expect(requestLineMeasure({ sku: 2, unit: undefined, saved }, { name: "千克", precision: 3 })).toEqual({
      factor: "1",
      unitName: "千克",
      baseUnitName: "千克",
      basePrecision: 3,
    });
  });
});
