import { describe, expect, it } from "vitest";
import {
  applyScan,
  baseTotal,
  clearWarehouseFields,
  removeLine,
  setQuantity,
  splitLine,
  updateLine,
  type ScanHit,
} from "./scanLines";
import { WedgeBuffer, mayRefocusScan, normalizeBarcode } from "./wedge";

const cola: ScanHit = {
  skuId: 1,
  skuCode: "COLA",
  skuName: "可乐",
  unitId: null,
  unitName: "个",
  factor: "1",
  baseUnitName: "个",
};
const colaBox: ScanHit = { ...cola, unitId: 7, unitName: "箱", factor: "12" };
const water: ScanHit = { ...cola, skuId: 2, skuCode: "WATER", skuName: "水" };

describe("scanning lines", () => {
  it("adds a line on the first scan and increments it on repeated scans", () => {
    const first = applyScan([], cola);
    expect(first.outcome).toBe("added");
    expect(first.lines).toHaveLength(1);
    const second = applyScan(first.lines, cola);
    expect(second.outcome).toBe("incremented");
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]?.quantity).toBe("2");
  });
  it("keeps the scanned line first and other lines unchanged", () => {
    let lines = applyScan([], cola).lines;
    lines = applyScan(lines, water).lines;
    const result = applyScan(lines, cola);
    expect(result.lines.map((l) => [l.skuCode, l.quantity])).toEqual([
      ["COLA", "2"],
      ["WATER", "1"],
    ]);
  });
  it("treats a case barcode as its own line and totals base units", () => {
    let lines = applyScan([], cola).lines;
    lines = applyScan(lines, colaBox).lines;
    lines = applyScan(lines, colaBox).lines;
    expect(lines).toHaveLength(2);
    expect(baseTotal(lines, 1)).toBe("25");
  });
  it("increments by a step and edits or removes lines", () => {
    let lines = applyScan([], cola, "0.5").lines;
    lines = applyScan(lines, cola, "0.25").lines;
    expect(lines[0]?.quantity).toBe("0.75");
    lines = setQuantity(lines, "1:base", "10");
    expect(lines[0]?.quantity).toBe("10");
    expect(removeLine(lines, "1:base")).toEqual([]);
  });
});

describe("keyboard wedge", () => {
  it("emits the fast-typed code on Enter", () => {
    const buffer = new WedgeBuffer();
    const code = "6901234567892";
    let t = 1000;
    for (const ch of code) expect(buffer.push(ch, (t += 10))).toBeNull();
    expect(buffer.push("Enter", (t += 10))).toBe(code);
    expect(buffer.push("Enter", (t += 10))).toBeNull();
  });
  it("ignores slow typing and short codes", () => {
    const buffer = new WedgeBuffer({ maxGapMs: 50, minLength: 4 });
    let t = 0;
    for (const ch of "12345") buffer.push(ch, (t += 200));
    expect(buffer.push("Enter", (t += 200))).toBeNull();
    for (const ch of "12") buffer.push(ch, (t += 5));
    expect(buffer.push("Enter", (t += 5))).toBeNull();
  });
  it("restarts the code after a pause and skips modifier keys", () => {
    const buffer = new WedgeBuffer();
    let t = 0;
    for (const ch of "99") buffer.push(ch, (t += 5));
    t += 1000;
    buffer.push("Shift", (t += 5));
    for (const ch of "ABCD1") buffer.push(ch, (t += 5));
    expect(buffer.push("Enter", (t += 5))).toBe("ABCD1");
  });
  it("normalises what a scan field received", () => {
    expect(normalizeBarcode("  6901234567892\r\n")).toBe("6901234567892");
    expect(normalizeBarcode(" \t ")).toBeNull();
  });
});

describe("lines split by batch", () => {
  const tea: ScanHit = { ...cola, skuId: 3, skuCode: "TEA", skuName: "茶", tracked: true };

  it("a split adds a line of the same SKU with its own key, and the next scan counts on it", () => {
    let lines = applyScan([], tea).lines;
    lines = updateLine(lines, "3:base", { batchNo: "A" });
    lines = splitLine(lines, "3:base");
    expect(lines.map((l) => [l.key, l.quantity, l.batchNo])).toEqual([
      ["3:base", "1", "A"],
      ["3:base#2", "1", ""],
    ]);
    lines = updateLine(lines, "3:base#2", { batchNo: "B" });
    const result = applyScan(lines, tea);
    expect(result.outcome).toBe("incremented");
    expect(result.line.key).toBe("3:base#2");
    expect(result.lines.map((l) => [l.batchNo, l.quantity])).toEqual([
      ["B", "2"],
      ["A", "1"],
    ]);
  });

  it("scans the line the user touched last, also by editing it", () => {
    let lines = applyScan([], tea).lines;
    lines = splitLine(lines, "3:base");
    lines = applyScan(lines, tea).lines; // the split line (touched last) → 2
    lines = setQuantity(lines, "3:base", "5"); // now the first line is the last touched
    const result = applyScan(lines, tea);
    expect(result.line.key).toBe("3:base");
    expect(result.line.quantity).toBe("6");
    expect(result.lines.find((l) => l.key === "3:base#2")?.quantity).toBe("2");
  });

  it("a new key after removing a split line never collides", () => {
    let lines = applyScan([], tea).lines;
    lines = splitLine(lines, "3:base");
    lines = splitLine(lines, "3:base");
    expect(lines.map((l) => l.key)).toEqual(["3:base", "3:base#3", "3:base#2"]);
    lines = removeLine(lines, "3:base");
    expect(applyScan(lines, cola).lines[0]?.key).toBe("1:base");
    expect(splitLine(lines, "3:base#2").map((l) => l.key)).toEqual(["3:base#3", "3:base#2", "3:base"]);
  });

  it("changing the warehouse drops locations and picked batches, keeps typed batch numbers", () => {
    const lines = updateLine(applyScan([], tea).lines, "3:base", {
      location: 4,
      batch: 9,
      batchNo: "A",
      expiryDate: "2027-01-01",
    });
    expect(clearWarehouseFields(lines, () => true)[0]).toMatchObject({
      location: null,
      batch: null,
      batchNo: "A",
      expiryDate: "2027-01-01",
    });
    expect(clearWarehouseFields(lines, () => false)[0]).toMatchObject({
      location: null,
      batch: null,
      batchNo: "",
      expiryDate: null,
    });
  });
});

describe("mayRefocusScan", () => {
  // plain objects stand for the DOM elements (the tests run without a DOM)
  const body = {} as Element;
  const scan = {} as Element;
  const quantity = {} as Element;

  it("takes the focus back when it is still in the scan field or on no field", () => {
    expect(mayRefocusScan(scan, scan, body)).toBe(true);
    expect(mayRefocusScan(body, scan, body)).toBe(true);
    expect(mayRefocusScan(null, scan, body)).toBe(true);
  });

  it("leaves the focus in a quantity field the user moved to while the lookup was pending", () => {
    expect(mayRefocusScan(quantity, scan, body)).toBe(false);
  });

  it("does nothing once the scan field is gone", () => {
    expect(mayRefocusScan(body, null, body)).toBe(false);
  });
});
