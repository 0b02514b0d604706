// Editing a saved draft: its lines back into scan lines, the stale-version check, and which
// draft buttons the user gets.
import { ApiError } from "../../api/http";
import { normalizeDecimal } from "../../lib/decimal";
import { lineKey, type ScanLine } from "../scan/scanLines";

/** The read side of a saved line (stock document or transfer). */
export interface SavedLine {
  sku: number;
  sku_code: string;
  sku_name: string;
  unit: number;
  unit_code: string;
  unit_name: string;
  base_unit_code: string;
  factor: string;
  quantity: string;
  unit_cost?: string | null;
}

/**
 * Scan lines from a saved document's lines (given in line order). The editor keeps the last
 * scanned line first and the payload reverses them, so the result is reversed: saving without
 * changes keeps the line order. The unit id is kept as a barcode lookup gives it, so scanning
 * the same SKU and unit again increments the line instead of adding another.
 */
export function scanLinesFromSaved(lines: readonly SavedLine[]): ScanLine[] {
  return [...lines].reverse().map((line) => {
    const base = line.unit_code === line.base_unit_code;
    const hit = {
      skuId: line.sku,
      skuCode: line.sku_code,
      skuName: line.sku_name,
      unitId: line.unit,
      unitName: line.unit_name,
      factor: base ? "1" : normalizeDecimal(line.factor || "1"),
      baseUnitName: base ? line.unit_name : line.base_unit_code,
    };
    return {
      ...hit,
      key: lineKey(hit),
      quantity: normalizeDecimal(line.quantity),
      ...(line.unit_cost ? { unitCost: normalizeDecimal(line.unit_cost) } : {}),
    };
  });
}

/** 409 stale_version: someone else saved the document since it was read. */
export function isStaleVersion(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === "stale_version";
}

/** The draft buttons (edit, delete) a user sees for a document in `status`. */
export function draftButtons(
  model: "stockdocument" | "transfer",
  status: string,
  hasPermission: (permission: string) => boolean,
): { edit: boolean; remove: boolean } {
  const draft = status === "draft";
  return {
    edit: draft && hasPermission(`inventory.change_${model}`),
    remove: draft && hasPermission(`inventory.delete_${model}`),
  };
}

/** The body of set-count: a counted quantity (base unit, ≥ 0), or null when not a valid one. */
export function setCountBody(
  lineId: number,
  text: string | null | undefined,
): { line: number; quantity: string } | null {
  const value = (text ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  return { line: lineId, quantity: normalizeDecimal(value) };
}

/** What a saved stock document line has beyond SKU, unit, quantity and cost. */
export interface SavedLineDetails {
  batch: number | null;
  batch_no: string;
  production_date: string | null;
  expiry_date: string | null;
  location: number | null;
  allow_expired: boolean;
  notes: string;
}

export interface LineExtras {
  batch?: number;
  batch_no?: string;
  production_date?: string;
  expiry_date?: string;
  location?: number;
  allow_expired?: boolean;
  notes?: string;
}

/**
 * The fields the scan editor does not show, by line key, so saving an edited draft keeps them:
 * a stock-in names its batch by number (with its dates), other kinds by the batch's id.
 */
export function savedLineExtras(
  lines: readonly (SavedLine & SavedLineDetails)[],
  stockIn: boolean,
): Record<string, LineExtras> {
  const extras: Record<string, LineExtras> = {};
  for (const line of lines) {
    const key = lineKey({ skuId: line.sku, unitId: line.unit });
    if (key in extras) continue;
    const extra: LineExtras = {};
    if (stockIn && line.batch_no) {
      extra.batch_no = line.batch_no;
      if (line.production_date) extra.production_date = line.production_date;
      if (line.expiry_date) extra.expiry_date = line.expiry_date;
    } else if (!stockIn && line.batch !== null) {
      extra.batch = line.batch;
    }
    if (line.location !== null) extra.location = line.location;
    if (line.allow_expired) extra.allow_expired = true;
    if (line.notes) extra.notes = line.notes;
    extras[key] = extra;
  }
  return extras;
}
