// The receive dialog: per open line the quantity received now (counted by scanning or typing,
// never prefilled with what was shipped) and the bin of the destination it is put away to (none
// given: the server takes the line's last bin, if any). Differences from what is in transit are
// worked out here so the dialog can show them before the keeper confirms.
import type { TransferLineRow, TransferReceive } from "../../api/contract";
import { addDecimal, compareDecimal, isDecimal, multiplyDecimal, normalizeDecimal } from "../../lib/decimal";
import { formatQuantity } from "../../lib/quantity";

export interface ReceiveEntry {
  quantity: string; // base unit; "" = not counted yet
  location: number | null;
}

/** The lines still in transit. */
export function openLines(lines: readonly TransferLineRow[]): TransferLineRow[] {
  return lines.filter((line) => compareDecimal(line.in_transit_quantity, "0") > 0);
}

/** What the dialog starts with: nothing counted, into the bin the line was last received into. */
export function initialEntries(lines: readonly TransferLineRow[]): Record<number, ReceiveEntry> {
  return Object.fromEntries(lines.map((line) => [line.id, { quantity: "", location: line.to_location }]));
}

/** Every open line counted as exactly what is in transit (the keeper's explicit "all arrived"). */
export function fillAll(
  lines: readonly TransferLineRow[],
  entries: Record<number, ReceiveEntry>,
): Record<number, ReceiveEntry> {
  return Object.fromEntries(
    lines.map((line) => [
      line.id,
      { location: entries[line.id]?.location ?? line.to_location, quantity: normalizeDecimal(line.in_transit_quantity) },
    ]),
  );
}

export type ReceiveScan =
  | { ok: true; entries: Record<number, ReceiveEntry>; line: TransferLineRow; quantity: string }
  | { ok: false; reason: "not_on_transfer" };

/**
 * One scan of a SKU (in a unit of `factor` base units): added to the first open line of that SKU
 * not yet complete, else to its last line (so an over-delivery shows as a difference).
 */
export function applyReceiveScan(
  lines: readonly TransferLineRow[],
  entries: Record<number, ReceiveEntry>,
  skuId: number,
  factor: string,
): ReceiveScan {
  const candidates = lines.filter((line) => line.sku === skuId);
  if (candidates.length === 0) return { ok: false, reason: "not_on_transfer" };
  const counted = (line: TransferLineRow) => entries[line.id]?.quantity || "0";
  const line =
    candidates.find((l) => compareDecimal(counted(l), l.in_transit_quantity) < 0) ?? candidates[candidates.length - 1]!;
  const quantity = addDecimal(counted(line), factor || "1");
  return {
    ok: true,
    line,
    quantity,
    entries: { ...entries, [line.id]: { location: entries[line.id]?.location ?? line.to_location, quantity } },
  };
}

export type LineState = "uncounted" | "match" | "short" | "over";

/** How the count of a line compares with what is in transit; `difference` = counted − in transit. */
export function lineState(line: TransferLineRow, entry: ReceiveEntry | undefined): { state: LineState; difference: string } {
  const text = entry?.quantity ?? "";
  if (text === "" || !isDecimal(text)) {
    return { state: "uncounted", difference: normalizeDecimal(multiplyDecimal(line.in_transit_quantity, "-1")) };
  }
  const difference = addDecimal(text, multiplyDecimal(line.in_transit_quantity, "-1"));
  const sign = compareDecimal(difference, "0");
  return { state: sign === 0 ? "match" : sign < 0 ? "short" : "over", difference };
}

export interface ReceiveSummary {
  uncounted: number;
  short: number;
  over: number;
  match: number;
}

export function summarize(lines: readonly TransferLineRow[], entries: Record<number, ReceiveEntry>): ReceiveSummary {
  const summary: ReceiveSummary = { uncounted: 0, short: 0, over: 0, match: 0 };
  for (const line of lines) summary[lineState(line, entries[line.id]).state] += 1;
  return summary;
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

/** A base-unit quantity of the line, also in the line's own unit when it is bigger: "48 瓶 (2 箱)". */
export function lineQuantity(value: string, line: TransferLineRow): string {
  const base = `${normalizeDecimal(value)} ${line.base_unit_name}`;
  if (compareDecimal(line.factor, "1") <= 0) return base;
  const big = formatQuantity(value, line.base_unit_name, [{ name: line.unit_name, factor: line.factor }]);
  return big === base ? base : `${base} (${big})`;
}

/** Whether any line names a bin on the side given (the bin columns are shown only then). */
export function hasBins(lines: readonly TransferLineRow[], side: "from_location" | "to_location"): boolean {
  return lines.some((line) => line[side] !== null);
}
