// The label list of the labels page: one row per SKU and unit; scanning or adding the same
// SKU and unit again adds one more label instead of a new row.
import type { LabelPrint } from "../../api/contract";

export interface LabelRow {
  key: string;
  skuId: number;
  skuCode: string;
  skuName: string;
  unitId: number | null; // null: the base unit
  unitName: string;
  quantity: number; // number of labels
}

export function rowKey(skuId: number, unitId: number | null): string {
  return `${skuId}:${unitId ?? "base"}`;
}

/** Add one label of a SKU/unit: a new row at the top, or +1 on the existing row. */
export function addLabel(rows: readonly LabelRow[], hit: Omit<LabelRow, "key" | "quantity">): LabelRow[] {
  const key = rowKey(hit.skuId, hit.unitId);
  const existing = rows.find((row) => row.key === key);
  if (existing) {
    return [{ ...existing, quantity: existing.quantity + 1 }, ...rows.filter((row) => row.key !== key)];
  }
  return [{ ...hit, key, quantity: 1 }, ...rows];
}

export function setQuantity(rows: readonly LabelRow[], key: string, quantity: number): LabelRow[] {
  const whole = Math.max(1, Math.floor(Number.isFinite(quantity) ? quantity : 1));
  return rows.map((row) => (row.key === key ? { ...row, quantity: whole } : row));
}

export function labelPayload(
  rows: readonly LabelRow[],
  size: NonNullable<LabelPrint["size"]>,
  showPrice: boolean,
): LabelPrint {
  return {
    items: rows.map((row) => ({
      sku: row.skuId,
      quantity: row.quantity,
      ...(row.unitId !== null ? { unit: row.unitId } : {}),
    })),
    size,
    show_price: showPrice,
  };
}
