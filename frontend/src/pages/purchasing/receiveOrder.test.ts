import { describe, expect, it } from "vitest";
import { applyScan, entryIssues, entryState, EMPTY_ENTRY, openOrderLines, receiptLines, type OrderLine } from "./receiveOrder";

const line = (id: number, sku: number, open: string, tracking = "none"): OrderLine => ({
  id,
  sku,
  sku_code: `K${sku}`,
  sku_name: `商品${sku}`,
  base_unit: 7,
  base_unit_name: "瓶",
  tracking,
  base_quantity: open,
  received_quantity: "0",
  open_quantity: open,
});

describe("applyScan", () => {
  it("adds the scanned unit's base quantity to the SKU's open line", () => {
    const lines = [line(1, 10, "24"), line(2, 11, "6")];
    const first = applyScan(lines, {}, 10, "12");
    expect(first.ok && first.entries[1]!.accepted).toBe("12");
    const second = first.ok ? applyScan(lines, first.entries, 10, "1") : first;
    expect(second.ok && second.accepted).toBe("13");
  });

  it("moves to the next line of the same SKU once the first is complete", () => {
    const lines = [line(1, 10, "2"), line(2, 10, "5")];
    let entries = {};
    for (let i = 0; i < 3; i++) {
      const result = applyScan(lines, entries, 10, "1");
      if (result.ok) entries = result.entries;
    }
    expect(entries).toMatchObject({ 1: { accepted: "2" }, 2: { accepted: "1" } });
  });

  it("refuses a SKU that is not on the order", () => {
    expect(applyScan([line(1, 10, "2")], {}, 99, "1").ok).toBe(false);
  });
});

describe("checks and body", () => {
  it("asks for a reason when goods are rejected and a batch for a tracked SKU", () => {
    const tracked = line(1, 10, "5", "batch");
    expect(entryIssues(tracked, { ...EMPTY_ENTRY, accepted: "2", rejected: "1" })).toEqual([
      "purchase.reasonRequired",
      "lines.batchRequired",
    ]);
    expect(entryIssues(tracked, { ...EMPTY_ENTRY, accepted: "2", batchNo: "B1" })).toEqual([]);
  });

  it("states short, complete and over", () => {
    const l = line(1, 10, "5");
    expect(entryState(l, undefined)).toBe("none");
    expect(entryState(l, { ...EMPTY_ENTRY, accepted: "4" })).toBe("short");
    expect(entryState(l, { ...EMPTY_ENTRY, accepted: "5" })).toBe("complete");
    expect(entryState(l, { ...EMPTY_ENTRY, accepted: "6" })).toBe("over");
  });

  it("sends the lines with something received, in the base unit", () => {
    const lines = [line(1, 10, "5", "batch"), line(2, 11, "3"), line(3, 12, "1")];
    const body = receiptLines(lines, {
      1: { ...EMPTY_ENTRY, accepted: "5", batchNo: " B1 ", expiryDate: "2027-01-01" },
      2: { ...EMPTY_ENTRY, accepted: "2", rejected: "1", reason: "破损" },
    });
    expect(body).toEqual([
      { order_line: 1, unit: 7, quantity: "5", batch_no: "B1", expiry_date: "2027-01-01" },
      { order_line: 2, unit: 7, quantity: "2", rejected_quantity: "1", reject_reason: "破损" },
    ]);
  });

  it("keeps only the open lines", () => {
    const done = { ...line(1, 10, "0"), received_quantity: "5" };
    expect(openOrderLines([done, line(2, 11, "3")]).map((l) => l.id)).toEqual([2]);
  });
});
