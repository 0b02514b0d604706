import { describe, expect, it } from "vitest";
import { addLabel, labelPayload, setQuantity } from "./labelItems";
import { documentPdfUrl, labelCount } from "../../features/printing/print";

const cola = { skuId: 1, skuCode: "COLA", skuName: "可乐", unitId: null, unitName: "个" };
const colaBox = { ...cola, unitId: 7, unitName: "箱" };

describe("label rows", () => {
  it("adds a row, then increments the same SKU and unit, moving it to the top", () => {
    let rows = addLabel([], cola);
    rows = addLabel(rows, colaBox);
    rows = addLabel(rows, cola);
    expect(rows.map((r) => [r.key, r.quantity])).toEqual([
      ["1:base", 2],
      ["1:7", 1],
    ]);
  });

  it("keeps quantities whole and at least one", () => {
    const rows = addLabel([], cola);
    expect(setQuantity(rows, "1:base", 3.7)[0].quantity).toBe(3);
    expect(setQuantity(rows, "1:base", 0)[0].quantity).toBe(1);
    expect(setQuantity(rows, "1:base", Number.NaN)[0].quantity).toBe(1);
  });

  it("builds the request body and counts labels", () => {
    const rows = setQuantity(addLabel(addLabel([], cola), colaBox), "1:7", 5);
    expect(labelPayload(rows, "a4-3x8", false)).toEqual({
      items: [
        { sku: 1, quantity: 5, unit: 7 },
        { sku: 1, quantity: 1 },
      ],
      size: "a4-3x8",
      show_price: false,
    });
    expect(labelCount(rows)).toBe(6);
  });
});

describe("document PDF URL", () => {
  it("appends pdf/ and the UI language", () => {
    expect(documentPdfUrl("/api/v1/stock-ins/5/", "zh-CN")).toBe("/api/v1/stock-ins/5/pdf/?lang=zh-hans");
    expect(documentPdfUrl("/api/v1/transfers/9", "en")).toBe("/api/v1/transfers/9/pdf/?lang=en");
  });
});
