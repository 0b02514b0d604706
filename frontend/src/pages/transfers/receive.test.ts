import { describe, expect, it } from "vitest";
import type { TransferLineRow } from "../../api/contract";
import { hasBins, initialEntries, openLines, receiveBody } from "./receive";

function line(id: number, inTransit: string, toLocation: number | null = null): TransferLineRow {
  return {
    id,
    line_no: id,
    sku: id,
    sku_code: `SKU${id}`,
    sku_name: "",
    unit: 1,
    unit_code: "PCS",
    unit_name: "个",
    base_unit_code: "PCS",
    base_unit_name: "个",
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

  it("offers the lines in transit, all of it, into the bin each was last received into", () => {
    const open = openLines(lines);
    expect(open.map((l) => l.id)).toEqual([1, 3]);
    expect(initialEntries(open)).toEqual({
      1: { quantity: "6", location: null },
      3: { quantity: "2.5", location: 7 },
    });
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
