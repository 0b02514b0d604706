import { describe, expect, it } from "vitest";
import type { StockCountRow } from "../../api/contract";
import { headerPayload, headerValues, titlesOf, treeTitles } from "./countHeader";

const draft = {
  categories: [3, 1],
  locations: [],
  blind: false,
  approval_threshold: "500.00",
  notes: "月底盘点",
  version: 4,
} as unknown as StockCountRow;

describe("stock count header", () => {
  it("fills the form from the count", () => {
    expect(headerValues(draft)).toEqual({
      categories: [3, 1],
      locations: [],
      blind: false,
      approval_threshold: "500",
      notes: "月底盘点",
    });
    expect(headerValues({ ...draft, approval_threshold: null }).approval_threshold).toBeNull();
  });
  it("saves every field with the version read; an empty threshold is the company's", () => {
    const values = { ...headerValues(draft), blind: true, locations: [7], approval_threshold: " ", notes: " 复盘 " };
    expect(headerPayload(values, draft.version)).toEqual({
      version: 4,
      categories: [3, 1],
      locations: [7],
      blind: true,
      approval_threshold: null,
      notes: "复盘",
    });
    expect(headerPayload({ ...values, approval_threshold: "200.5" }, 4).approval_threshold).toBe("200.5");
  });
  it("names the categories of the scope, sub-categories included", () => {
    const titles = treeTitles([
      { value: 1, title: "01 饮料", children: [{ value: 3, title: "0101 碳酸饮料", children: [] }] },
      { value: 2, title: "02 零食", children: [] },
    ]);
    expect(titlesOf([3, 1], titles)).toEqual(["0101 碳酸饮料", "01 饮料"]);
    expect(titlesOf([9, 2], titles)).toEqual(["02 零食"]);
  });
});
