// Lines built by scanning: a scan adds a line for the SKU and unit, or increments its quantity.
// A line may also carry a batch and a bin location; a SKU split into lines of different batches
// is incremented on the line the user touched last.
import { addDecimal, multiplyDecimal } from "../../lib/decimal";

export interface ScanHit {
  skuId: number;
  skuCode: string;
  skuName: string;
  unitId: number | null; // null: the base unit
  unitName: string;
  factor: string; // base units per scanned unit
  baseUnitName: string;
  basePrecision?: number; // decimal places of the base unit (unknown: only the server checks them)
  tracked?: boolean; // batch-tracked SKU
}

export interface ScanLine extends ScanHit {
  key: string; // unique in the document
  quantity: string; // in the scanned unit
  unitCost?: string;
  batch?: number | null; // an existing batch (outbound; empty: FEFO by the server)
  batchNo?: string; // inbound: a new or existing batch number
  productionDate?: string | null; // inbound, new batch (YYYY-MM-DD)
  expiryDate?: string | null;
  location?: number | null; // bin location in the warehouse
  notes?: string; // kept from a saved draft
  allowExpired?: boolean; // kept from a saved draft
  rejected?: string; // a purchase receipt's line: rejected, in the line's unit
  rejectReason?: string; // … and why
  touched?: number; // when the user last scanned or edited it (higher: later)
}

export type ScanOutcome = "added" | "incremented";

/** Lines of the same SKU and unit share this; a scan increments one of them. */
export function lineKey(hit: Pick<ScanHit, "skuId" | "unitId">): string {
  return `${hit.skuId}:${hit.unitId ?? "base"}`;
}

function lastTouch(lines: readonly ScanLine[]): number {
  return lines.reduce((max, line) => Math.max(max, line.touched ?? 0), 0);
}

/** A key not used by any line: the SKU:unit key, suffixed when a line already has it. */
function freeKey(lines: readonly ScanLine[], base: string): string {
  const used = new Set(lines.map((line) => line.key));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}#${n}`)) n += 1;
  return `${base}#${n}`;
}

/** Apply one scan; returns the new lines (the scanned line first) and what happened. */
export function applyScan(
  lines: readonly ScanLine[],
  hit: ScanHit,
  step = "1",
): { lines: ScanLine[]; outcome: ScanOutcome; line: ScanLine } {
  const sameKey = lineKey(hit);
  const touched = lastTouch(lines) + 1;
  const existing = lines
    .filter((line) => lineKey(line) === sameKey)
    .reduce<ScanLine | undefined>((best, line) => (!best || (line.touched ?? 0) > (best.touched ?? 0) ? line : best), undefined);
  if (existing) {
    const line = { ...existing, quantity: addDecimal(existing.quantity, step), touched };
    return {
      lines: [line, ...lines.filter((l) => l.key !== existing.key)],
      outcome: "incremented",
      line,
    };
  }
  const line: ScanLine = { ...hit, key: freeKey(lines, sameKey), quantity: step, touched };
  return { lines: [line, ...lines], outcome: "added", line };
}

/** Change fields of one line (it becomes the last touched). */
export function updateLine(
  lines: readonly ScanLine[],
  key: string,
  patch: Partial<Omit<ScanLine, "key">>,
): ScanLine[] {
  const touched = lastTouch(lines) + 1;
  return lines.map((line) => (line.key === key ? { ...line, ...patch, touched } : line));
}

export function setQuantity(lines: readonly ScanLine[], key: string, quantity: string): ScanLine[] {
  return updateLine(lines, key, { quantity });
}

/**
 * Split a line: a new line of the same SKU and unit, quantity 1 and no batch, right after it;
 * it is the last touched, so the next scan of the SKU counts on it.
 */
export function splitLine(lines: readonly ScanLine[], key: string): ScanLine[] {
  const index = lines.findIndex((line) => line.key === key);
  const source = lines[index];
  if (!source) return [...lines];
  const copy: ScanLine = {
    ...source,
    key: freeKey(lines, lineKey(source)),
    quantity: "1",
    batch: null,
    batchNo: "",
    productionDate: null,
    expiryDate: null,
    touched: lastTouch(lines) + 1,
  };
  return [...lines.slice(0, index + 1), copy, ...lines.slice(index + 1)];
}

export function removeLine(lines: readonly ScanLine[], key: string): ScanLine[] {
  return lines.filter((line) => line.key !== key);
}

/**
 * The warehouse changed: its bin locations and the batches picked from its stock no longer
 * apply; the batch number (and dates) typed on an inbound line stay.
 */
export function clearWarehouseFields(
  lines: readonly ScanLine[],
  inbound: (line: ScanLine) => boolean,
): ScanLine[] {
  return lines.map((line) =>
    inbound(line)
      ? { ...line, location: null, batch: null }
      : { ...line, location: null, batch: null, batchNo: "", productionDate: null, expiryDate: null },
  );
}

/** Total in base units of one SKU over all its lines (e.g. 2 boxes of 12 + 3 pieces = 27). */
export function baseTotal(lines: readonly ScanLine[], skuId: number): string {
  return lines
    .filter((line) => line.skuId === skuId)
    .reduce((sum, line) => addDecimal(sum, multiplyDecimal(line.quantity, line.factor)), "0");
}
