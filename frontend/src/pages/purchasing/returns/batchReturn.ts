// A return to a supplier from a warehouse (not from one receipt): each line names a SKU and where
// it goes back from — a batch of that supplier's (the server spreads it over the receipt lines of
// the batch, oldest first) or, for a SKU without batches, a receipt line. The editor's lines are
// kept per such source; a draft's stored lines (one per receipt line) are summed back per source.
import type { PurchaseReturnRow, ReturnableRow } from "../../../api/contract";
import { quantityIssue } from "../../../features/drafts/draftLines";
import type { MessageKey } from "../../../i18n/keys";
import { addDecimal, compareDecimal, isDecimal, normalizeDecimal } from "../../../lib/decimal";

/** "b:<batch id>" or "r:<receipt line id>" (a receipt line without a batch). */
export type Source = string;

export interface BatchLine {
  key: number; // the row's key in the editor
  sku?: number;
  source?: Source;
  quantity: string | null; // in the base unit, as typed
}

export interface SourceOption {
  value: Source;
  sku: number;
  label: string;
  returnable: number;
  baseUnit: number;
  baseUnitName: string;
  basePrecision: number; // decimal places of the base unit
}

export const sourceOf = (row: { batch?: number | null; receipt_line?: number | null }): Source =>
  row.batch ? `b:${row.batch}` : `r:${row.receipt_line}`;

/** The SKUs something may still go back of (by code), for the SKU picker. */
export function skuChoices(rows: ReturnableRow[]): { value: number; label: string }[] {
  const seen = new Map<number, string>();
  for (const row of rows) if (!seen.has(row.sku)) seen.set(row.sku, `${row.sku_code} ${row.sku_name}`);
  return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([value, label]) => ({ value, label }));
}

/** Per source (batch, or receipt line without a batch): what may still go back, in the base unit. */
export function sourceOptions(rows: ReturnableRow[]): Map<Source, SourceOption> {
  const out = new Map<Source, SourceOption>();
  for (const row of rows) {
    const value = sourceOf(row);
    const known = out.get(value);
    if (known) {
      known.returnable += Number(row.returnable);
      continue;
    }
    out.set(value, {
      value,
      sku: row.sku,
      label: row.batch ? row.batch_no : row.receipt_number,
      returnable: Number(row.returnable),
      baseUnit: row.base_unit,
      baseUnitName: row.base_unit_name,
      basePrecision: row.base_unit_precision,
    });
  }
  return out;
}

/** A draft's lines as the editor's lines: base quantities summed per source, in line order. */
export function draftBatchLines(doc?: PurchaseReturnRow): BatchLine[] {
  const out: BatchLine[] = [];
  const bySource = new Map<Source, BatchLine>();
  for (const line of doc?.lines ?? []) {
    const source = sourceOf(line);
    const known = bySource.get(source);
    if (known) {
      known.quantity = normalizeDecimal(addDecimal(known.quantity ?? "0", line.base_quantity));
      continue;
    }
    const next: BatchLine = { key: out.length + 1, sku: line.sku, source, quantity: normalizeDecimal(line.base_quantity) };
    bySource.set(source, next);
    out.push(next);
  }
  return out;
}

/** The lines to send (PUT …/purchase-returns/{id}/): complete lines only, in the base unit. */
export function batchLinesBody(
  lines: BatchLine[],
  options: Map<Source, SourceOption>,
): { batch?: number; receipt_line?: number; unit?: number; quantity: string }[] {
  return lines
    .filter((line) => line.source && positive(line.quantity))
    .map((line) => {
      const source = line.source as Source;
      const id = Number(source.slice(2));
      const unit = options.get(source)?.baseUnit;
      return {
        ...(source.startsWith("b:") ? { batch: id } : { receipt_line: id }),
        ...(unit ? { unit } : {}),
        quantity: line.quantity as string,
      };
    });
}

/** A quantity typed and greater than zero. */
export function positive(quantity: string | null | undefined): quantity is string {
  return !!quantity && isDecimal(quantity) && compareDecimal(quantity, "0") > 0;
}

/**
 * What is wrong with a return quantity as typed (in the base unit, as the server would refuse it):
 * zero or less, or finer than the base unit allows — the checks of every document line
 * (quantityIssue). A blank one is no line yet; when `optional` (a receipt's line that need not go
 * back), zero is none either.
 */
export function returnQuantityIssue(
  quantity: string | null | undefined,
  basePrecision: number | undefined,
  optional = false,
): MessageKey | null {
  if (!quantity || (optional && isDecimal(quantity) && compareDecimal(quantity, "0") === 0)) return null;
  return quantityIssue({ quantity, factor: "1", basePrecision }, "in");
}
