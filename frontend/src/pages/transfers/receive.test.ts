import { describe, expect, it } from "vitest";
import type { TransferLineRow } from "../../api/contract";
import {
  applyReceiveScan,
  fillAll,
  hasBins,
  initialEntries,
  lineQuantity,
  lineState,
  openLines,
  receiveBody,
  summarize,
} from "./receive";

function line(id: number, inTransit: string, toLocation: number | null = null, sku = id): TransferLineRow {
  return {
    id,
    line_no: id,
    sku,
    sku_code: `SKU${id}`,
    sku_name: "",
    unit: 1,
    unit_code: "PCS",
    unit_name: "个",
    base_unit_code: "PCS",
    base_unit_name: "个",
    base_unit_precision: 0,
    tracking: "none",
    factor: "1",
    batch: null,
    batch_no: "",
    expiry_date: null,
    quantity: "6.0000",
    base_quantity: "6.0000",
    from_location: null,
    from_location_code: null,
    to_location: toLocation,
    to_location_code: toLocation ? `B-0${toLocation}` : null,
    shipped_quantity: "6.0000",
    received_quantity: "0.0000",
    discrepancy_quantity: "0.0000",
    in_transit_quantity: inTransit,
    notes: "",
  };
}

describe("receiving a transfer", () => {
  const lines = [line(1, "6.0000"), line(2, "0.0000"), line(3, "2.5000", 7)];

  it("offers the lines in transit, nothing counted yet, into the bin each was last received into", () => {
    const open = openLines(lines);
    expect(open.map((l) => l.id)).toEqual([1, 3]);
    expect(initialEntries(open)).toEqual({
      1: { quantity: "", location: null },
      3: { quantity: "", location: 7 },
    });
    expect(summarize(open, initialEntries(open))).toEqual({ uncounted: 2, short: 0, over: 0, match: 0 });
  });

  it("fills every line with what is in transit only when asked, keeping the bins chosen", () => {
    const open = openLines(lines);
    expect(fillAll(open, { 1: { quantity: "1", location: 9 }, 3: { quantity: "", location: 7 } })).toEqual({
      1: { quantity: "6", location: 9 },
      3: { quantity: "2.5", location: 7 },
    });
  });

  it("counts scans on the first unfinished line of the SKU, a case as its factor", () => {
    const twice = [line(1, "2.0000", null, 50), line(2, "24.0000", null, 50)];
    let entries = initialEntries(twice);
    const first = applyReceiveScan(twice, entries, 50, "1");
    expect(first.ok && [first.line.id, first.quantity]).toEqual([1, "1"]);
    entries = first.ok ? first.entries : entries;
    const second = applyReceiveScan(twice, entries, 50, "1");
    entries = second.ok ? second.entries : entries;
    // line 1 is complete: the case of 24 goes to line 2
    const caseScan = applyReceiveScan(twice, entries, 50, "24");
    expect(caseScan.ok && [caseScan.line.id, caseScan.quantity]).toEqual([2, "24"]);
    entries = caseScan.ok ? caseScan.entries : entries;
    // both complete: one more is an over-delivery on the last line
    const extra = applyReceiveScan(twice, entries, 50, "1");
    expect(extra.ok && [extra.line.id, extra.quantity]).toEqual([2, "25"]);
    expect(applyReceiveScan(twice, entries, 99, "1")).toEqual({ ok: false, reason: "not_on_transfer" });
  });

  it("marks each line short, over, matching or not counted, with the difference", () => {
    const l = line(1, "6.0000");
    expect(lineState(l, { quantity: "", location: null })).toEqual({ state: "uncounted", difference: "-6" });
    expect(lineState(l, { quantity: "4", location: null })).toEqual({ state: "short", difference: "-2" });
    expect(lineState(l, { quantity: "6", location: null })).toEqual({ state: "match", difference: "0" });
    expect(lineState(l, { quantity: "7.5", location: null })).toEqual({ state: "over", difference: "1.5" });
    const open = [line(1, "6.0000"), line(2, "3.0000"), line(3, "1.0000"), line(4, "1.0000")];
    expect(
      summarize(open, {
        1: { quantity: "6", location: null },
        2: { quantity: "2", location: null },
        3: { quantity: "2", location: null },
        4: { quantity: "", location: null },
      }),
    ).toEqual({ uncounted: 1, short: 1, over: 1, match: 1 });
  });

  it("names a base quantity in the line's bigger unit too", () => {
    const cases = { ...line(1, "48.0000"), unit_name: "箱", base_unit_name: "瓶", factor: "24.0000" };
    expect(lineQuantity("48.0000", cases)).toBe("48 瓶 (2 箱)");
    expect(lineQuantity("50.0000", cases)).toBe("50 瓶 (2 箱 2 瓶)");
    expect(lineQuantity("5.0000", cases)).toBe("5 瓶");
    expect(lineQuantity("6.0000", line(1, "6.0000"))).toBe("6 个");
  });

  it("sends a bin only when one is chosen, and an emptied quantity as zero", () => {
    const open = openLines(lines);
    expect(receiveBody(open, { 1: { quantity: "4", location: 5 }, 3: { quantity: "", location: null } }, false)).toEqual({
      close: false,
      lines: [
        { line: 1, quantity: "4", to_location: 5 },
        { line: 3, quantity: "0" },
      ],
    });
  });

  it("shows a bin column only when a line names a bin on that side", () => {
    expect(hasBins(lines, "to_location")).toBe(true);
    expect(hasBins(lines, "from_location")).toBe(false);
  });
});
