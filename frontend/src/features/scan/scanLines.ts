// Lines built by scanning: a scan adds a line for the SKU and unit, or increments its quantity.
import { addDecimal, multiplyDecimal } from "../../lib/decimal";

export interface ScanHit {
  skuId: number;
  skuCode: string;
  skuName: string;
  unitId: number | null; // null: the base unit
  unitName: string;
  factor: string; // base units per scanned unit
  baseUnitName: string;
}

export interface ScanLine extends ScanHit {
  key: string;
  quantity: string; // in the scanned unit
  unitCost?: string;
}

export type ScanOutcome = "added" | "incremented";

export function lineKey(hit: Pick<ScanHit, "skuId" | "unitId">): string {
  return `${hit.skuId}:${hit.unitId ?? "base"}`;
}

/** Apply one scan; returns the new lines (the scanned line first) and what happened. */
export function applyScan(
  lines: readonly ScanLine[],
  hit: ScanHit,
  step = "1",
): { lines: ScanLine[]; outcome: ScanOutcome; line: ScanLine } {
  const key = lineKey(hit);
  const existing = lines.find((line) => line.key === key);
  if (existing) {
    const line = { ...existing, quantity: addDecimal(existing.quantity, step) };
    return {
      lines: [line, ...lines.filter((l) => l.key !== key)],
      outcome: "incremented",
      line,
    };
  }
  const line: ScanLine = { ...hit, key, quantity: step };
  return { lines: [line, ...lines], outcome: "added", line };
}

export function setQuantity(lines: readonly ScanLine[], key: string, quantity: string): ScanLine[] {
  return lines.map((line) => (line.key === key ? { ...line, quantity } : line));
}

export function removeLine(lines: readonly ScanLine[], key: string): ScanLine[] {
  return lines.filter((line) => line.key !== key);
}

/** Total in base units of one SKU over all its lines (e.g. 2 boxes of 12 + 3 pieces = 27). */
export function baseTotal(lines: readonly ScanLine[], skuId: number): string {
  return lines
    .filter((line) => line.skuId === skuId)
    .reduce((sum, line) => addDecimal(sum, multiplyDecimal(line.quantity, line.factor)), "0");
}
