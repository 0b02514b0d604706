// Receiving goods against a purchase order (采购入库 by scanning): per open order line what is
// accepted now and what is rejected (with a reason), in the base unit; batch number and dates
// for batch-tracked SKUs. A scan adds the scanned unit's base quantity to the first open line
// of that SKU (then the next line of the same SKU once the first is complete).
import { addDecimal, compareDecimal, isDecimal, normalizeDecimal } from "../../lib/decimal";
import type { MessageKey } from "../../i18n/keys";

export interface OrderLine {
  id: number;
  sku: number;
  sku_code: string;
  sku_name: string;
  base_unit: number;
  base_unit_name: string;
  tracking: string;
  base_quantity: string;
  received_quantity: string;
  open_quantity: string;
}

export interface ReceiveEntry {
  accepted: string; // base unit; "" = nothing yet
  rejected: string;
  reason: string;
  batchNo: string;
  productionDate: string;
  expiryDate: string;
}

export const EMPTY_ENTRY: ReceiveEntry = {
  accepted: "",
  rejected: "",
  reason: "",
  batchNo: "",
  productionDate: "",
  expiryDate: "",
};

export function openOrderLines<L extends OrderLine>(lines: readonly L[]): L[] {
  return lines.filter((line) => compareDecimal(line.open_quantity, "0") > 0);
}

function amount(text: string): string {
  return isDecimal(text) ? normalizeDecimal(text) : "0";
}

export type ScanOutcome =
  | { ok: true; entries: Record<number, ReceiveEntry>; line: OrderLine; accepted: string }
  | { ok: false };

/** Add `factor` base units of `skuId` to its first line still short of its open quantity
 *  (else the last line of that SKU: receiving more than ordered is the server's to refuse
 *  beyond the tolerance). */
export function applyScan(
  lines: readonly OrderLine[],
  entries: Record<number, ReceiveEntry>,
  skuId: number,
  factor: string,
): ScanOutcome {
  const candidates = lines.filter((line) => line.sku === skuId);
  if (candidates.length === 0) return { ok: false };
  const line =
    candidates.find((l) => compareDecimal(amount(entries[l.id]?.accepted ?? ""), l.open_quantity) < 0) ??
    candidates[candidates.length - 1]!;
  const current = entries[line.id] ?? EMPTY_ENTRY;
  const accepted = addDecimal(amount(current.accepted), factor);
  return { ok: true, line, accepted, entries: { ...entries, [line.id]: { ...current, accepted } } };
}

/** What the keeper must still fix on a line (i18n keys), before the receipt is saved. */
export function entryIssues(line: OrderLine, entry: ReceiveEntry | undefined): MessageKey[] {
  if (!entry) return [];
  const issues: MessageKey[] = [];
  for (const value of [entry.accepted, entry.rejected]) {
    if (value.trim() && (!isDecimal(value) || compareDecimal(value, "0") < 0)) issues.push("lines.badQuantity");
  }
  const rejected = amount(entry.rejected);
  if (compareDecimal(rejected, "0") > 0 && !entry.reason.trim()) issues.push("purchase.reasonRequired");
  if (line.tracking === "batch" && compareDecimal(amount(entry.accepted), "0") > 0 && !entry.batchNo.trim()) {
    issues.push("lines.batchRequired");
  }
  if (entry.productionDate && entry.expiryDate && entry.expiryDate < entry.productionDate) {
    issues.push("lines.expiryBeforeProduction");
  }
  return [...new Set(issues)];
}

/** How the line compares with what is still open: nothing yet, short, complete, over. */
export function entryState(line: OrderLine, entry: ReceiveEntry | undefined): "none" | "short" | "complete" | "over" {
  const accepted = amount(entry?.accepted ?? "");
  if (compareDecimal(accepted, "0") === 0) return "none";
  const cmp = compareDecimal(accepted, line.open_quantity);
  return cmp < 0 ? "short" : cmp === 0 ? "complete" : "over";
}

export interface ReceiptLineBody {
  order_line: number;
  unit: number;
  quantity: string;
  rejected_quantity?: string;
  reject_reason?: string;
  batch_no?: string;
  production_date?: string;
  expiry_date?: string;
}

/** The receipt's lines: every line with something accepted or rejected, in the base unit. */
export function receiptLines(lines: readonly OrderLine[], entries: Record<number, ReceiveEntry>): ReceiptLineBody[] {
  const out: ReceiptLineBody[] = [];
  for (const line of lines) {
    const entry = entries[line.id];
    if (!entry) continue;
    const accepted = amount(entry.accepted);
    const rejected = amount(entry.rejected);
    if (compareDecimal(accepted, "0") === 0 && compareDecimal(rejected, "0") === 0) continue;
    const body: ReceiptLineBody = { order_line: line.id, unit: line.base_unit, quantity: accepted };
    if (compareDecimal(rejected, "0") > 0) {
      body.rejected_quantity = rejected;
      body.reject_reason = entry.reason.trim();
    }
    if (line.tracking === "batch" && entry.batchNo.trim()) {
      body.batch_no = entry.batchNo.trim();
      if (entry.productionDate) body.production_date = entry.productionDate;
      if (entry.expiryDate) body.expiry_date = entry.expiryDate;
    }
    out.push(body);
  }
  return out;
}
