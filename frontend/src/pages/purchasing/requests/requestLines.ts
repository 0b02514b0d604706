// A purchase request's line as its form edits it: the quantity as typed (a decimal string) and
// what is known of its unit — for a saved line, the unit, pack size and base unit it was saved
// with; for a new line (in the base unit), the picked SKU's base unit.
import type { PurchaseRequestRow } from "../../../api/contract";
import { quantityIssue } from "../../../features/drafts/draftLines";
import type { MessageKey } from "../../../i18n/keys";
import { normalizeDecimal } from "../../../lib/decimal";

/** What a saved line was saved with (its SKU, unit and the unit's size in base units). */
export interface SavedMeasure {
  sku: number;
  unit: number | null;
  factor: string;
  unitName: string;
  baseUnitName: string;
  basePrecision?: number;
}

/** The base unit of a SKU as the API gives it (…/skus/{id}/ base_unit). */
export interface BaseUnit {
  name: string;
  precision?: number;
}

export interface RequestLineMeasure {
  factor: string; // base units per unit of the quantity
  unitName: string; // the unit of the quantity ("" while no SKU is known)
  baseUnitName: string;
  basePrecision?: number; // unknown: only the server checks the decimals
}

type SavedRequestLine = NonNullable<PurchaseRequestRow["lines"]>[number];

export function savedMeasure(line: SavedRequestLine): SavedMeasure {
  return {
    sku: line.sku,
    unit: line.unit ?? null,
    factor: normalizeDecimal(line.factor || "1"),
    unitName: line.unit_name,
    baseUnitName: line.base_unit_name,
    basePrecision: line.base_unit_precision,
  };
}

/**
 * The unit a line's quantity is in: the saved one while its SKU is kept, else the base unit of
 * the SKU picked (a new line has no unit: the base unit).
 */
export function requestLineMeasure(
  line: { sku?: number | undefined; unit?: number | null | undefined; saved?: SavedMeasure | undefined },
  skuBaseUnit: BaseUnit | undefined,
): RequestLineMeasure {
  const saved = line.saved;
  if (saved && saved.sku === line.sku) {
    const savedUnit = (line.unit ?? null) === saved.unit;
    return {
      factor: savedUnit ? saved.factor : "1",
      unitName: savedUnit ? saved.unitName : saved.baseUnitName,
      baseUnitName: saved.baseUnitName,
      basePrecision: saved.basePrecision ?? skuBaseUnit?.precision,
    };
  }
  const baseUnitName = skuBaseUnit?.name ?? "";
  return { factor: "1", unitName: baseUnitName, baseUnitName, basePrecision: skuBaseUnit?.precision };
}

/** What is wrong with a request line's quantity as typed (null: fine, or nothing typed yet). */
export function requestQuantityIssue(quantity: string | null | undefined, measure: RequestLineMeasure): MessageKey | null {
  if (quantity === null || quantity === undefined || quantity === "") return null;
  return quantityIssue({ quantity, factor: measure.factor, basePrecision: measure.basePrecision }, "in");
}

/**
 * The lines whose SKU the user just changed (from the form's changed values: a sparse list). Their
 * unit was the old SKU's — kept, only the server refused it — so the form resets it to the new
 * SKU's base unit (no unit: the server's default), as a purchase order line takes its new SKU's.
 */
export function linesWithNewSku(changed: { lines?: readonly ({ sku?: number } | undefined)[] }): number[] {
  const lines = changed.lines ?? [];
  const indexes: number[] = [];
  lines.forEach((line, index) => {
    if (line && "sku" in line) indexes.push(index);
  });
  return indexes;
}
