import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import { applyScan } from "../scan/scanLines";
import {
  draftButtons,
  isStaleVersion,
  savedLineExtras,
  scanLinesFromSaved,
  setCountBody,
  type SavedLine,
} from "./draftLines";

const piece: SavedLine = {
  sku: 1,
  sku_code: "COLA",
  sku_name: "可乐",
  unit: 3,
  unit_code: "PCS",
  unit_name: "个",
  base_unit_code: "PCS",
  factor: "1.000000",
  quantity: "5.0000",
  unit_cost: "2.5000",
};
const box: SavedLine = {
  ...piece,
  sku: 2,
  sku_code: "WATER",
  sku_name: "水",
  unit: 7,
  unit_code: "BOX",
  unit_name: "箱",
  factor: "12.000000",
  quantity: "2.0000",
  unit_cost: null,
};

describe("saved lines to scan lines", () => {
  it("reverses the order (the payload reverses again) and normalizes decimals", () => {
    const lines = scanLinesFromSaved([piece, box]);
    expect(lines.map((l) => l.skuCode)).toEqual(["WATER", "COLA"]);
    expect(lines[1]).toEqual({
      skuId: 1,
      skuCode: "COLA",
      skuName: "可乐",
      unitId: 3,
      unitName: "个",
      factor: "1",
      baseUnitName: "个",
      key: "1:3",
      quantity: "5",
      unitCost: "2.5",
    });
    expect(lines[0]).toMatchObject({ unitId: 7, factor: "12", baseUnitName: "PCS", quantity: "2" });
    expect(lines[0]).not.toHaveProperty("unitCost");
  });

  it("a scan of the same SKU and unit increments the saved line", () => {
    const lines = scanLinesFromSaved([piece]);
    const result = applyScan(lines, {
      skuId: 1,
      skuCode: "COLA",
      skuName: "可乐",
      unitId: 3,
      unitName: "个",
      factor: "1",
      baseUnitName: "个",
    });
    expect(result.outcome).toBe("incremented");
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]?.quantity).toBe("6");
  });
});

describe("stale version and draft buttons", () => {
  const body = (code: string) => ({ code, message: "m", fields: {}, details: {} });
  it("recognizes only 409 stale_version", () => {
    expect(isStaleVersion(new ApiError(409, body("stale_version")))).toBe(true);
    expect(isStaleVersion(new ApiError(409, body("state_conflict")))).toBe(false);
    expect(isStaleVersion(new ApiError(400, body("stale_version")))).toBe(false);
    expect(isStaleVersion(new Error("x"))).toBe(false);
  });

  it("offers edit and delete only on drafts, by permission", () => {
    const only = (granted: string[]) => (p: string) => granted.includes(p);
    expect(draftButtons("stockdocument", "draft", only(["inventory.change_stockdocument"]))).toEqual({
      edit: true,
      remove: false,
    });
    expect(draftButtons("transfer", "draft", only(["inventory.change_transfer", "inventory.delete_transfer"]))).toEqual({
      edit: true,
      remove: true,
    });
    expect(draftButtons("transfer", "submitted", () => true)).toEqual({ edit: false, remove: false });
  });
});

describe("set count body", () => {
  it("accepts non-negative decimals and rejects the rest", () => {
    expect(setCountBody(4, "12.500")).toEqual({ line: 4, quantity: "12.5" });
    expect(setCountBody(4, "0")).toEqual({ line: 4, quantity: "0" });
    expect(setCountBody(4, "-1")).toBeNull();
    expect(setCountBody(4, "")).toBeNull();
    expect(setCountBody(4, null)).toBeNull();
    expect(setCountBody(4, "abc")).toBeNull();
  });
});

describe("saved line extras", () => {
  const details = {
    batch: 9,
    batch_no: "B2026",
    production_date: "2026-01-01",
    expiry_date: "2027-01-01",
    location: null,
    allow_expired: false,
    notes: "",
  };
  it("keeps a stock-in's batch number and dates, another kind's batch id, by line key", () => {
    const lines = [{ ...piece, ...details }, { ...box, ...details, batch: null, batch_no: "", location: 4, notes: "n" }];
    expect(savedLineExtras(lines, true)).toEqual({
      "1:3": { batch_no: "B2026", production_date: "2026-01-01", expiry_date: "2027-01-01" },
      "2:7": { location: 4, notes: "n" },
    });
    expect(savedLineExtras(lines, false)).toEqual({ "1:3": { batch: 9 }, "2:7": { location: 4, notes: "n" } });
  });
});
