import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import type { SkuRow } from "../../api/contract";
import {
  barcodesOfUnit,
  barcodeUnitOptions,
  categoryTree,
  isInUse,
  skuField,
  skuFormValues,
  skuPatch,
  splitValues,
  variantCount,
  variantsBody,
} from "./productEdit";

describe("categoryTree", () => {
  it("nests children under their parents and keeps orphans at the top", () => {
    const tree = categoryTree([
      { id: 1, code: "F", name: "食品", parent: null },
      { id: 2, code: "D", name: "饮料", parent: 1 },
      { id: 3, code: "W", name: "水", parent: 2 },
      { id: 4, code: "X", name: "其他", parent: 99 },
    ]);
    expect(tree.map((n) => n.value)).toEqual([1, 4]);
    expect(tree[0].children[0].value).toBe(2);
    expect(tree[0].children[0].children[0]).toEqual({ value: 3, title: "水 (W)", children: [] });
  });
});

describe("SKU form", () => {
  const sku = {
    id: 7,
    spec: "330ml",
    purchase_price: "2.00",
    retail_price: "3.50",
    member_price: null,
    safety_stock: "5.000",
    active: true,
    attributes: { 尺码: "M" },
    barcodes: [{ code: "6901234567892", unit: null, kind: "ean13", is_primary: true }],
    units: [{ unit: 2, unit_code: "box", unit_name: "箱", factor: "12.000", retail_price: null }],
  } as unknown as SkuRow;

  it("round-trips a SKU into the PATCH body", () => {
    expect(skuPatch(skuFormValues(sku))).toEqual({
      spec: "330ml",
      purchase_price: "2.00",
      retail_price: "3.50",
      member_price: null,
      safety_stock: "5.000",
      attributes: { 尺码: "M" },
      barcodes: [{ code: "6901234567892", unit: null, is_primary: true }],
      units: [{ unit: 2, factor: "12.000", retail_price: null }],
    });
  });

  it("drops empty barcode, unit and attribute lines and trims text", () => {
    const body = skuPatch({
      spec: " 1L ",
      retail_price: "",
      attributes: [{ name: " 颜色 ", value: " 黑 " }, { name: "", value: "x" }],
      barcodes: [{ code: " 123 " }, { code: "  " }],
      units: [{ unit: 3, factor: "24", retail_price: "60" }, { factor: "2" }],
    });
    expect(body.spec).toBe("1L");
    expect(body.retail_price).toBe("0");
    expect(body.attributes).toEqual({ 颜色: "黑" });
    expect(body.barcodes).toEqual([{ code: "123", unit: null, is_primary: false }]);
    expect(body.units).toEqual([{ unit: 3, factor: "24", retail_price: "60" }]);
  });

  it("maps attribute errors onto the attributes list", () => {
    expect(skuField("attributes.尺码")).toBe("attributes");
    expect(skuField("barcodes.1.code")).toBe("barcodes.1.code");
  });

  it("offers the base unit and each conversion unit once for barcodes", () => {
    const names: Record<number, string> = { 2: "箱", 3: "包" };
    expect(
      barcodeUnitOptions({ id: 1, name: "个" }, [{ unit: 2 }, { unit: 2 }, { unit: 1 }, { unit: 3 }, {}], (id) => names[id]),
    ).toEqual([
      { value: 0, label: "个" },
      { value: 2, label: "箱" },
      { value: 3, label: "包" },
    ]);
  });
});

describe("delete and per-unit barcodes", () => {
  const error = (status: number, code: string) =>
    new ApiError(status, { code, message: "SKU A cannot be deleted", fields: {}, details: {} });

  it("offers to deactivate only when the server says the record is in use", () => {
    expect(isInUse(error(409, "in_use"))).toBe(true);
    expect(isInUse(error(409, "last_sku"))).toBe(false);
    expect(isInUse(error(403, "permission_denied"))).toBe(false);
    expect(isInUse(new Error("network"))).toBe(false);
  });

  it("lists the barcodes of one conversion unit, not those of the base unit", () => {
    const barcodes = [
      { code: "6901234567892", unit: 0 },
      { code: "2000000000015", unit: 2 },
      { code: "", unit: 2 },
      { code: "2000000000022", unit: 3 },
    ];
    expect(barcodesOfUnit(barcodes, 2)).toEqual(["2000000000015"]);
    expect(barcodesOfUnit(barcodes, undefined)).toEqual([]);
  });
});

describe("variants", () => {
  it("splits values on ASCII and full-width commas, dropping blanks and repeats", () => {
    expect(splitValues("S, M，L、 ,M")).toEqual(["S", "M", "L"]);
    expect(splitValues(undefined)).toEqual([]);
  });

  it("builds the request from two attributes and counts the combinations", () => {
    const body = variantsBody({ name1: "尺码", values1: "S,M,L", name2: "颜色", values2: "黑,白", retail_price: "99" });
    expect(body).toEqual({ attributes: { 尺码: ["S", "M", "L"], 颜色: ["黑", "白"] }, retail_price: "99" });
    expect(variantCount(body)).toBe(6);
  });

  it("ignores an incomplete attribute and returns null when none is complete", () => {
    expect(variantsBody({ name1: "尺码", values1: "S", name2: "颜色", values2: "" })).toEqual({
      attributes: { 尺码: ["S"] },
    });
    expect(variantsBody({ name1: "", values1: "S" })).toBeNull();
    expect(variantCount(null)).toBe(0);
  });
});
