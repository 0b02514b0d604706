// A draft purchase receipt without an order, edited as its lines were entered: each saved line
// back into a scan line (SKU, unit, accepted quantity, net price per unit, batch and dates,
// rejected quantity and reason), and the scan lines into the request's lines.
import type { PurchaseReceiptRow } from "../../api/contract";
import { compareDecimal, multiplyDecimal, normalizeDecimal } from "../../lib/decimal";
import { linesPayload, scanLinesFromSaved, type LineOptions } from "../../features/drafts/draftLines";
import type { ScanLine } from "../../features/scan/scanLines";

export const RECEIPT_LINE_OPTIONS: LineOptions = {
  direction: "in",
  showCost: true,
  locations: false,
  rejects: true,
  costPlaceholder: "receiptLines.priceDefault",
};

type ReceiptLine = PurchaseReceiptRow["lines"][number];

/** The saved lines as scan lines (the editor's order: the last line first). */
export function receiptScanLines(lines: readonly ReceiptLine[]): ScanLine[] {
  const base = (line: ReceiptLine) => compareDecimal(line.factor, "1") === 0;
  const scanned = scanLinesFromSaved(
    lines.map((line) => ({
      sku: line.sku,
      sku_code: line.sku_code,
      sku_name: line.sku_name,
      unit: line.unit,
      unit_code: line.unit_code,
      unit_name: line.unit_name,
      base_unit_code: base(line) ? line.unit_code : "",
      base_unit_name: line.base_unit_name,
      base_unit_precision: line.base_unit_precision,
      tracking: line.tracking,
      factor: line.factor,
      quantity: line.quantity,
      unit_cost: line.unit_cost === null ? null : multiplyDecimal(line.unit_cost, line.factor),
      batch_no: line.batch_no,
      production_date: line.production_date,
      expiry_date: line.expiry_date,
      notes: line.notes,
    })),
  );
  const reversed = [...lines].reverse();
  return scanned.map((line, index) => {
    const saved = reversed[index];
    const rejected = saved && compareDecimal(saved.rejected_quantity, "0") > 0 ? normalizeDecimal(saved.rejected_quantity) : undefined;
    return { ...line, ...(rejected ? { rejected, rejectReason: saved.reject_reason } : {}) };
  });
}

/** The request's lines (document order): the price is the net price per the line's unit. */
export function receiptLinesBody(lines: readonly ScanLine[]) {
  const inputs = linesPayload(lines, RECEIPT_LINE_OPTIONS);
  const ordered = [...lines].reverse();
  return inputs.map(({ unit_cost, ...input }, index) => {
    const line = ordered[index];
    const rejected = line.rejected && compareDecimal(line.rejected, "0") > 0 ? line.rejected : undefined;
    return {
      ...input,
      ...(unit_cost ? { price: unit_cost } : {}),
      ...(rejected ? { rejected_quantity: rejected, reject_reason: (line.rejectReason ?? "").trim() } : {}),
    };
  });
}
