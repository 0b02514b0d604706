// The receive dialog's request: per open line the quantity received now and the bin of the
// destination it is put away to (none given: the server takes the line's last bin, if any).
import type { TransferLineRow, TransferReceive } from "../../api/contract";
import { compareDecimal } from "../../lib/decimal";
import { formatQty } from "../../lib/format";

export interface ReceiveEntry {
  quantity: string;
  location: number | null;
}

/** The lines still in transit. */
export function openLines(lines: readonly TransferLineRow[]): TransferLineRow[] {
  return lines.filter((line) => compareDecimal(line.in_transit_quantity, "0") > 0);
}

/** What the dialog starts with: everything in transit, into the bin the line was last received into. */
export function initialEntries(lines: readonly TransferLineRow[]): Record<number, ReceiveEntry> {
  return Object.fromEntries(
    lines.map((line) => [line.id, { quantity: formatQty(line.in_transit_quantity), location: line.to_location }]),
  );
}

export function receiveBody(
  lines: readonly TransferLineRow[],
  entries: Record<number, ReceiveEntry>,
  close: boolean,
): TransferReceive {
  return {
    close,
    lines: lines.map((line) => {
      const entry = entries[line.id];
      const quantity = entry?.quantity || "0";
      return entry?.location ? { line: line.id, quantity, to_location: entry.location } : { line: line.id, quantity };
    }),
  };
}

/** Whether any line names a bin on the side given (the bin columns are shown only then). */
export function hasBins(lines: readonly TransferLineRow[], side: "from_location" | "to_location"): boolean {
  return lines.some((line) => line[side] !== null);
}
