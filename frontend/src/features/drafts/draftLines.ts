// Editing a saved draft: its lines back into scan lines, the stale-version check, and which
// draft buttons the user gets.
import { ApiError } from "../../api/http";
import { addDecimal, compareDecimal, isDecimal, multiplyDecimal, normalizeDecimal } from "../../lib/decimal";
import { expiryLevel } from "../stock/expiry";
import { lineKey, type ScanLine } from "../scan/scanLines";
import type { MessageKey } from "../../i18n/keys";

/** The read side of a saved line (stock document or transfer). */
export interface SavedLine {
  sku: number;
  sku_code: string;
  sku_name: string;
  unit: number;
  unit_code: string;
  unit_name: string;
  base_unit_code: string;
  base_unit_name: string;
  base_unit_precision?: number; // decimal places of the base unit
  tracking?: string;
  factor: string;
  quantity: string;
  unit_cost?: string | null;
  batch?: number | null;
  batch_no?: string;
  production_date?: string | null;
  expiry_date?: string | null;
  location?: number | null;
  allow_expired?: boolean;
  notes?: string;
}

/**
 * Scan lines from a saved document's lines (given in line order). The editor keeps the last
 * scanned line first and the payload reverses them, so the result is reversed: saving without
 * changes keeps the line order. The unit id is kept as a barcode lookup gives it, so scanning
 * the same SKU and unit again increments the line instead of adding another.
 */
export function scanLinesFromSaved(lines: readonly SavedLine[]): ScanLine[] {
  const result: ScanLine[] = [];
  for (const line of [...lines].reverse()) {
    const base = line.unit_code === line.base_unit_code;
    const hit = {
      skuId: line.sku,
      skuCode: line.sku_code,
      skuName: line.sku_name,
      unitId: line.unit,
      unitName: line.unit_name,
      factor: base ? "1" : normalizeDecimal(line.factor || "1"),
      baseUnitName: base ? line.unit_name : line.base_unit_name,
      ...(line.base_unit_precision !== undefined ? { basePrecision: line.base_unit_precision } : {}),
    };
    const key = lineKey(hit);
    const taken = result.filter((l) => l.key === key || l.key.startsWith(`${key}#`)).length;
    result.push({
      ...hit,
      key: taken ? `${key}#${taken + 1}` : key,
      quantity: normalizeDecimal(line.quantity),
      ...(line.unit_cost ? { unitCost: normalizeDecimal(line.unit_cost) } : {}),
      ...(line.tracking !== undefined ? { tracked: line.tracking === "batch" } : {}),
      ...(line.batch ? { batch: line.batch } : {}),
      ...(line.batch_no ? { batchNo: line.batch_no } : {}),
      ...(line.production_date ? { productionDate: line.production_date } : {}),
      ...(line.expiry_date ? { expiryDate: line.expiry_date } : {}),
      ...(line.location ? { location: line.location } : {}),
      ...(line.notes ? { notes: line.notes } : {}),
      ...(line.allow_expired ? { allowExpired: true } : {}),
    });
  }
  return result;
}

/** 409 stale_version: someone else saved the document since it was read. */
export function isStaleVersion(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === "stale_version";
}

/** A document type with drafts: "app.model" or, for inventory's, the model alone. */
export type DraftModel = "stockdocument" | "transfer" | `${string}.${string}`;

/** The draft buttons (edit, delete) a user sees for a document in `status`. */
export function draftButtons(
  model: DraftModel,
  status: string,
  hasPermission: (permission: string) => boolean,
): { edit: boolean; remove: boolean } {
  const draft = status === "draft";
  const [app, name] = model.includes(".") ? model.split(".") : ["inventory", model];
  return {
    edit: draft && hasPermission(`${app}.change_${name}`),
    remove: draft && hasPermission(`${app}.delete_${name}`),
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

/** Whether stock enters (in), leaves (out), or, for an adjustment, goes by the quantity's sign. */
export type LineDirection = "in" | "out" | "signed";

export interface LineOptions {
  direction: LineDirection;
  showCost?: boolean; // a unit cost per line
  locations?: boolean; // a bin location per line (default true)
  locationField?: "location" | "from_location"; // the request field of the line's bin (default location)
  rejects?: boolean; // a rejected quantity and its reason per line (purchase receipts)
  costPlaceholder?: MessageKey; // what an empty unit cost means (default: lines.costDefault)
}

/** Whether a line brings stock in (a new batch is named by number) or takes it out. */
export function isInbound(line: Pick<ScanLine, "quantity">, direction: LineDirection): boolean {
  if (direction !== "signed") return direction === "in";
  return isDecimal(line.quantity) && compareDecimal(line.quantity, "0") > 0;
}

/** The issues of a line's quantity field itself (the server refuses them too). */
export const QUANTITY_ISSUES: readonly MessageKey[] = ["lines.badQuantity", "lines.quantityNotPositive", "lines.quantityZero", "lines.tooManyDecimals"];

/**
 * What is wrong with a line's quantity, as the server would refuse it: zero (or, but for an
 * adjustment, negative), or — in the base unit, quantity × factor — more decimal places than the
 * base unit allows (e.g. 1.5 个). Null when it is fine or not a number yet (lineIssues says so).
 */
export function quantityIssue(
  line: Pick<ScanLine, "quantity" | "factor" | "basePrecision">,
  direction: LineDirection,
): MessageKey | null {
  if (!isDecimal(line.quantity)) return null;
  const sign = compareDecimal(line.quantity, "0");
  if (direction === "signed" ? sign === 0 : sign <= 0) {
    return direction === "signed" ? "lines.quantityZero" : "lines.quantityNotPositive";
  }
  if (line.basePrecision !== undefined && isDecimal(line.factor || "1")) {
    const base = normalizeDecimal(multiplyDecimal(line.quantity, line.factor || "1"));
    const places = base.includes(".") ? base.split(".")[1]!.length : 0;
    if (places > line.basePrecision) return "lines.tooManyDecimals";
  }
  return null;
}

/** The values of the quantity messages: the base unit and its decimal places. */
export function quantityValues(line: Pick<ScanLine, "baseUnitName" | "basePrecision">): { unit: string; places: number } {
  return { unit: line.baseUnitName, places: line.basePrecision ?? 0 };
}

/** What the user must still fix on a line before saving (i18n keys of the `lines` namespace). */
export function lineIssues(line: ScanLine, direction: LineDirection): MessageKey[] {
  const issues: MessageKey[] = [];
  if (!isDecimal(line.quantity)) issues.push("lines.badQuantity");
  const quantity = quantityIssue(line, direction);
  if (quantity) issues.push(quantity);
  const inbound = isInbound(line, direction);
  if (line.tracked && inbound && !(line.batchNo ?? "").trim()) issues.push("lines.batchRequired");
  if (inbound && line.productionDate && line.expiryDate && line.expiryDate < line.productionDate) {
    issues.push("lines.expiryBeforeProduction");
  }
  if (line.rejected && isDecimal(line.rejected) && compareDecimal(line.rejected, "0") > 0 && !(line.rejectReason ?? "").trim()) {
    issues.push("purchase.reasonRequired");
  }
  return issues;
}

/** One line of a create/update request (stock document or transfer). */
export interface LineInput {
  sku: number;
  unit?: number;
  quantity: string;
  unit_cost?: string;
  batch?: number;
  batch_no?: string;
  production_date?: string;
  expiry_date?: string;
  location?: number;
  from_location?: number; // a transfer line's bin in the source warehouse
  allow_expired?: boolean;
  notes?: string;
}

/**
 * The request lines, in document order (the editor shows the last scanned first): an inbound
 * line names its batch by number (with the dates of a new batch), an outbound one by the
 * batch's id (none: the server allocates first-expiry-first-out).
 */
export function linesPayload(lines: readonly ScanLine[], options: LineOptions): LineInput[] {
  return [...lines].reverse().map((line) => {
    const input: LineInput = { sku: line.skuId, quantity: line.quantity };
    if (line.unitId !== null) input.unit = line.unitId;
    if (options.showCost && line.unitCost) input.unit_cost = line.unitCost;
    if (isInbound(line, options.direction)) {
      const batchNo = (line.batchNo ?? "").trim();
      if (batchNo) {
        input.batch_no = batchNo;
        if (line.productionDate) input.production_date = line.productionDate;
        if (line.expiryDate) input.expiry_date = line.expiryDate;
      }
    } else if (line.batch) {
      input.batch = line.batch;
    }
    if (options.locations !== false && line.location) input[options.locationField ?? "location"] = line.location;
    if (line.allowExpired) input.allow_expired = true;
    if (line.notes) input.notes = line.notes;
    return input;
  });
}

/**
 * The API's errors on `lines.<index>.<field>` by line key (the index is in request order, see
 * `linesPayload`); the other fields' errors are left for the form.
 */
export function lineErrors(
  fields: Record<string, string[]>,
  lines: readonly ScanLine[],
): Record<string, string[]> {
  const keys = [...lines].reverse().map((line) => line.key);
  const byLine: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fields)) {
    const match = /^lines\.(\d+)(\.|$)/.exec(field);
    const key = match ? keys[Number(match[1])] : undefined;
    if (key !== undefined) byLine[key] = [...(byLine[key] ?? []), ...messages];
  }
  return byLine;
}

/** A batch the user may pick on a line. */
export interface BatchChoice {
  batch: number;
  batchNo: string;
  productionDate: string | null;
  expiryDate: string | null;
  onHand: string; // summed over the warehouses given
  expired: boolean;
}

interface BatchStock {
  batch: number | null;
  batch_no: string | null;
  production_date?: string | null;
  expiry_date: string | null;
  on_hand: string;
}

/**
 * The batches to offer on a line, soonest expiry first, one per batch (on hand summed over
 * warehouses); the line's own batch stays listed when it has no stock left.
 */
export function batchChoices(rows: readonly BatchStock[], line: ScanLine, today: string): BatchChoice[] {
  const byId = new Map<number, BatchChoice>();
  for (const row of rows) {
    if (row.batch === null) continue;
    const known = byId.get(row.batch);
    if (known) {
      known.onHand = addDecimal(known.onHand, row.on_hand);
      continue;
    }
    byId.set(row.batch, {
      batch: row.batch,
      batchNo: row.batch_no ?? "",
      productionDate: row.production_date ?? null,
      expiryDate: row.expiry_date,
      onHand: normalizeDecimal(row.on_hand),
      expired: expiryLevel(row.expiry_date, today) === "expired",
    });
  }
  if (line.batch && !byId.has(line.batch)) {
    byId.set(line.batch, {
      batch: line.batch,
      batchNo: line.batchNo ?? "",
      productionDate: line.productionDate ?? null,
      expiryDate: line.expiryDate ?? null,
      onHand: "0",
      expired: expiryLevel(line.expiryDate, today) === "expired",
    });
  }
  return [...byId.values()].sort(
    (a, b) => (a.expiryDate ?? "9999").localeCompare(b.expiryDate ?? "9999") || a.batchNo.localeCompare(b.batchNo),
  );
}
