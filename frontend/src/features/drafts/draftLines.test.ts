import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import { applyScan } from "../scan/scanLines";
import {
  batchChoices,
  draftButtons,
  isInbound,
  isStaleVersion,
  lineErrors,
  lineIssues,
  quantityIssue,
  linesPayload,
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
  base_unit_name: "个",
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
    expect(lines[0]).toMatchObject({ unitId: 7, factor: "12", baseUnitName: "个", quantity: "2" });
    expect(lines[0]).not.toHaveProperty("unitCost");
  });

  it("keeps the base unit's decimal places, so a saved line's quantity is checked as typed too", () => {
    const [water, cola] = scanLinesFromSaved([
      { ...piece, base_unit_precision: 0 },
      { ...box, factor: "10.000000", base_unit_precision: 0 },
    ]);
    expect(cola).toMatchObject({ basePrecision: 0 });
    expect(lineIssues({ ...cola!, quantity: "1.5" }, "in")).toEqual(["lines.tooManyDecimals"]);
    expect(lineIssues({ ...water!, quantity: "0.25" }, "out")).toEqual(["lines.tooManyDecimals"]); // 2.5 个
    expect(lineIssues({ ...water!, quantity: "0.5" }, "out")).toEqual([]); // 5 个
    expect(scanLinesFromSaved([piece])[0]).not.toHaveProperty("basePrecision");
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
    expect(draftButtons("purchasing.purchaseorder", "draft", only(["purchasing.change_purchaseorder"]))).toEqual({
      edit: true,
      remove: false,
    });
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

describe("batch and location of saved lines", () => {
  const details = {
    tracking: "batch",
    batch: 9,
    batch_no: "B2026",
    production_date: "2026-01-01",
    expiry_date: "2027-01-01",
    location: 4,
    allow_expired: false,
    notes: "n",
  };
  it("are kept on the scan lines, and lines of the same SKU and unit get their own keys", () => {
    const lines = scanLinesFromSaved([
      { ...piece, ...details },
      { ...piece, ...details, batch: 10, batch_no: "B2027", location: null, notes: "" },
    ]);
    expect(lines.map((l) => l.key)).toEqual(["1:3", "1:3#2"]);
    expect(lines[1]).toMatchObject({
      tracked: true,
      batch: 9,
      batchNo: "B2026",
      productionDate: "2026-01-01",
      expiryDate: "2027-01-01",
      location: 4,
      notes: "n",
    });
    expect(lines[0]).toMatchObject({ batch: 10, batchNo: "B2027" });
    expect(lines[0]).not.toHaveProperty("location");
  });

  it("save back unchanged: a stock-in by batch number, a stock-out by batch id", () => {
    const lines = scanLinesFromSaved([{ ...piece, ...details }, { ...box, tracking: "none" }]);
    expect(linesPayload(lines, { direction: "in", showCost: true })).toEqual([
      {
        sku: 1,
        unit: 3,
        quantity: "5",
        unit_cost: "2.5",
        batch_no: "B2026",
        production_date: "2026-01-01",
        expiry_date: "2027-01-01",
        location: 4,
        notes: "n",
      },
      { sku: 2, unit: 7, quantity: "2" },
    ]);
    expect(linesPayload(lines, { direction: "out" })[0]).toEqual({
      sku: 1,
      unit: 3,
      quantity: "5",
      batch: 9,
      location: 4,
      notes: "n",
    });
    // without locations, none is sent; a transfer names the bin it is picked from
    expect(linesPayload(lines, { direction: "out", locations: false })[0]).not.toHaveProperty("location");
    expect(linesPayload(lines, { direction: "out", locationField: "from_location" })[0]).toEqual({
      sku: 1,
      unit: 3,
      quantity: "5",
      batch: 9,
      from_location: 4,
      notes: "n",
    });
  });
});

describe("line direction and issues", () => {
  const tea = scanLinesFromSaved([{ ...piece, tracking: "batch" }])[0]!;
  it("an adjustment line is inbound when its quantity is positive", () => {
    expect(isInbound({ quantity: "2" }, "signed")).toBe(true);
    expect(isInbound({ quantity: "-2" }, "signed")).toBe(false);
    expect(isInbound({ quantity: "" }, "signed")).toBe(false);
    expect(isInbound({ quantity: "-2" }, "in")).toBe(true);
    expect(isInbound({ quantity: "2" }, "out")).toBe(false);
  });

  it("an inbound line of a batch-tracked SKU needs a batch number; an outbound one does not", () => {
    expect(lineIssues(tea, "in")).toEqual(["lines.batchRequired"]);
    expect(lineIssues({ ...tea, batchNo: "  " }, "in")).toEqual(["lines.batchRequired"]);
    expect(lineIssues({ ...tea, batchNo: "B1" }, "in")).toEqual([]);
    expect(lineIssues(tea, "out")).toEqual([]);
    expect(lineIssues({ ...tea, quantity: "-1" }, "signed")).toEqual([]);
    expect(lineIssues({ ...tea, tracked: false }, "in")).toEqual([]);
  });

  it("flags an expiry before the production date and a missing quantity", () => {
    const dated = { ...tea, batchNo: "B1", productionDate: "2026-05-01", expiryDate: "2026-04-01" };
    expect(lineIssues(dated, "in")).toEqual(["lines.expiryBeforeProduction"]);
    expect(lineIssues({ ...dated, expiryDate: "2026-05-01" }, "in")).toEqual([]);
    expect(lineIssues({ ...tea, batchNo: "B1", quantity: "" }, "in")).toEqual(["lines.badQuantity"]);
  });

  it("refuses a zero quantity and more decimals than the base unit allows, before the server", () => {
    const pcs = { ...tea, batchNo: "B1", basePrecision: 0 };
    expect(lineIssues({ ...pcs, quantity: "0" }, "in")).toEqual(["lines.quantityNotPositive"]);
    expect(lineIssues({ ...pcs, quantity: "0" }, "out")).toEqual(["lines.quantityNotPositive"]);
    expect(lineIssues({ ...pcs, quantity: "-1" }, "out")).toEqual(["lines.quantityNotPositive"]);
    expect(lineIssues({ ...pcs, quantity: "0" }, "signed")).toEqual(["lines.quantityZero"]);
    expect(lineIssues({ ...pcs, quantity: "1.5" }, "in")).toEqual(["lines.tooManyDecimals"]);
    expect(lineIssues({ ...pcs, quantity: "2.000" }, "in")).toEqual([]);
    // 0.5 case of 12 is 6 pieces: fine; 0.25 case of 10 is 2.5 pieces: not
    expect(quantityIssue({ quantity: "0.5", factor: "12", basePrecision: 0 }, "in")).toBeNull();
    expect(quantityIssue({ quantity: "0.25", factor: "10", basePrecision: 0 }, "in")).toBe("lines.tooManyDecimals");
    expect(quantityIssue({ quantity: "1.235", factor: "1", basePrecision: 3 }, "out")).toBeNull();
    expect(quantityIssue({ quantity: "1.2355", factor: "1", basePrecision: 3 }, "out")).toBe("lines.tooManyDecimals");
    // a line whose precision is not known: the server still checks it
    expect(quantityIssue({ quantity: "1.5", factor: "1" }, "in")).toBeNull();
    expect(quantityIssue({ quantity: "", factor: "1", basePrecision: 0 }, "in")).toBeNull();
  });

  it("only an inbound line sends its batch number, and an outbound one its batch", () => {
    const line = { ...tea, batch: 9, batchNo: " B1 ", expiryDate: "2027-01-01" };
    expect(linesPayload([line], { direction: "signed" })[0]).toMatchObject({ batch_no: "B1" });
    expect(linesPayload([line], { direction: "signed" })[0]).not.toHaveProperty("batch");
    const loss = linesPayload([{ ...line, quantity: "-1" }], { direction: "signed" })[0];
    expect(loss).toMatchObject({ batch: 9 });
    expect(loss).not.toHaveProperty("batch_no");
    expect(linesPayload([{ ...line, batch: null }], { direction: "out" })[0]).not.toHaveProperty("batch");
  });
});

describe("server errors on lines", () => {
  it("go to the line they name, counted in request order", () => {
    // the editor shows the last scanned first: the request's line 0 is the editor's last line
    const lines = scanLinesFromSaved([piece, box]);
    expect(
      lineErrors(
        {
          "lines.0.batch_no": ["Give a batch number."],
          "lines.1.quantity": ["Too many decimals."],
          "lines.1.unit": ["Not a unit."],
          "lines.7.quantity": ["?"],
          warehouse: ["Unknown warehouse."],
        },
        lines,
      ),
    ).toEqual({ "1:3": ["Give a batch number."], "2:7": ["Too many decimals.", "Not a unit."] });
  });
});

describe("batch choices", () => {
  const row = (batch: number, batch_no: string, expiry_date: string | null, on_hand: string) => ({
    batch,
    batch_no,
    expiry_date,
    production_date: null,
    on_hand,
  });
  const line = scanLinesFromSaved([{ ...piece, tracking: "batch" }])[0]!;
  it("lists each batch once, soonest expiry first, expired ones marked", () => {
    const choices = batchChoices(
      [row(2, "B2", "2027-01-01", "3.0000"), row(1, "B1", "2026-11-01", "1.0000"), row(2, "B2", "2027-01-01", "4")],
      line,
      "2026-11-29",
    );
    expect(choices.map((c) => [c.batchNo, c.onHand, c.expired])).toEqual([
      ["B1", "1", true],
      ["B2", "7", false],
    ]);
  });

  it("keeps the line's own batch when it has no stock left", () => {
    const own = { ...line, batch: 5, batchNo: "OLD", expiryDate: "2026-12-01" };
    expect(batchChoices([], own, "2026-11-29")).toEqual([
      { batch: 5, batchNo: "OLD", productionDate: null, expiryDate: "2026-12-01", onHand: "0", expired: false },
    ]);
  });
});
