// The lines of a purchase order being written: started from the supplier catalogue (purchase
// unit, pack size, price) and the supplier's VAT rate, edited by the buyer, sent as the API's
// line input. Pure functions, tested without a browser.
import type { OrderLineInput, PurchaseOrderLineRow, RevisionLineInput, SupplierItemRow } from "../../api/contract";
import { addDecimal, compareDecimal, isDecimal, normalizeDecimal } from "../../lib/decimal";
import type { AmountInput } from "./orderTotals";
import type { MessageKey } from "../../i18n/keys";
import { quantityIssue } from "../../features/drafts/draftLines";

export interface DraftOrderLine extends AmountInput {
  key: string;
  sku: number;
  skuCode: string;
  skuName: string;
  unit: number | null; // null: the catalogue's purchase unit, else the base unit (server's default)
  unitName: string;
  packSize: string; // base units in one `unit`
  baseUnitName: string;
  basePrecision?: number; // decimal places of the base unit (unknown: only the server checks them)
  expectedDate: string; // "" = the order's
  notes: string;
  id?: number; // the saved order line (a revision changes it in place); none: a new line
  received?: string; // base units received on the saved line
}

function positive(text: string | null | undefined): boolean {
  return !!text && isDecimal(text) && compareDecimal(text, "0") > 0;
}

let counter = 0;
const newKey = () => `l${++counter}`;

/** A line for `sku` from the supplier's catalogue item (when the supplier sells it). */
export function lineFromCatalogue(item: SupplierItemRow, taxRate: string): DraftOrderLine {
  return {
    key: newKey(),
    sku: item.sku,
    skuCode: item.sku_detail.code,
    skuName: item.sku_detail.name,
    unit: item.purchase_unit ?? null,
    unitName: item.purchase_unit_detail.name,
    packSize: normalizeDecimal(item.pack_size ?? "1"),
    baseUnitName: item.sku_detail.base_unit.name,
    ...(item.sku_detail.base_unit.precision !== undefined ? { basePrecision: item.sku_detail.base_unit.precision } : {}),
    quantity: positive(item.min_order_qty) ? normalizeDecimal(item.min_order_qty!) : "1",
    price: item.price,
    taxRate,
    discount: "0",
    expectedDate: "",
    notes: "",
  };
}

/** A line for a SKU outside the catalogue: in its base unit, the price to be typed. */
export function lineWithoutCatalogue(
  hit: {
    skuId: number;
    skuCode: string;
    skuName: string;
    unitId: number | null;
    unitName: string;
    factor: string;
    baseUnitName: string;
    basePrecision?: number;
  },
  taxRate: string,
): DraftOrderLine {
  return {
    key: newKey(),
    sku: hit.skuId,
    skuCode: hit.skuCode,
    skuName: hit.skuName,
    unit: hit.unitId,
    unitName: hit.unitName,
    packSize: normalizeDecimal(hit.factor || "1"),
    baseUnitName: hit.baseUnitName,
    ...(hit.basePrecision !== undefined ? { basePrecision: hit.basePrecision } : {}),
    quantity: "1",
    price: "",
    taxRate,
    discount: "0",
    expectedDate: "",
    notes: "",
  };
}

/** The lines of a saved draft, to edit them. */
export function linesFromOrder(lines: readonly PurchaseOrderLineRow[]): DraftOrderLine[] {
  return lines.map((line) => ({
    key: newKey(),
    sku: line.sku,
    skuCode: line.sku_code,
    skuName: line.sku_name,
    unit: line.unit,
    unitName: line.unit_name,
    packSize: normalizeDecimal(line.factor),
    baseUnitName: line.base_unit_name,
    basePrecision: line.base_unit_precision,
    quantity: normalizeDecimal(line.quantity),
    price: normalizeDecimal(line.price ?? ""), // null only for users who may not see costs (no editors)
    taxRate: normalizeDecimal(line.tax_rate),
    discount: normalizeDecimal(line.discount),
    expectedDate: line.expected_date ?? "",
    notes: line.notes,
    id: line.id,
    received: normalizeDecimal(line.received_quantity),
  }));
}

/** Goods were received on this saved line: a revision keeps it. */
export function hasReceived(line: DraftOrderLine): boolean {
  return !!line.received && isDecimal(line.received) && compareDecimal(line.received, "0") > 0;
}

/** Adding a SKU already on the order adds one more unit to its line instead. */
export function addLine(lines: readonly DraftOrderLine[], line: DraftOrderLine): DraftOrderLine[] {
  const same = lines.find((l) => l.sku === line.sku && l.unit === line.unit);
  if (!same || !isDecimal(same.quantity)) return [...lines, line];
  const quantity = addDecimal(same.quantity, "1");
  return lines.map((l) => (l === same ? { ...l, quantity } : l));
}

/** What is wrong with a line's quantity as typed (null: fine, or not a number yet). */
export function orderQuantityIssue(line: Pick<DraftOrderLine, "quantity" | "packSize" | "basePrecision">): MessageKey | null {
  return quantityIssue({ quantity: line.quantity, factor: line.packSize, basePrecision: line.basePrecision }, "in");
}

/** What the buyer must still fix on a line (i18n keys). */
export function orderLineIssues(line: DraftOrderLine): MessageKey[] {
  const issues: MessageKey[] = [];
  // zero or too many decimals for the base unit (quantity × pack size): said before the server does
  const quantity = orderQuantityIssue(line);
  if (quantity) issues.push(quantity);
  else if (!positive(line.quantity)) issues.push("lines.badQuantity");
  if (!isDecimal(line.price) || compareDecimal(line.price, "0") < 0) issues.push("purchase.priceRequired");
  const discount = line.discount || "0";
  if (!isDecimal(discount) || compareDecimal(discount, "0") < 0 || compareDecimal(discount, "100") > 0) {
    issues.push("purchase.badDiscount");
  }
  return issues;
}

/** The request lines, in the order shown. */
export function orderLinesPayload(lines: readonly DraftOrderLine[]): OrderLineInput[] {
  return lines.map((line) => {
    const input: OrderLineInput = {
      sku: line.sku,
      quantity: normalizeDecimal(line.quantity),
      price: normalizeDecimal(line.price ?? ""), // null only for users who may not see costs (no editors)
      tax_rate: normalizeDecimal(line.taxRate),
      discount: normalizeDecimal(line.discount || "0"),
    };
    if (line.unit !== null) input.unit = line.unit;
    if (line.expectedDate) input.expected_date = line.expectedDate;
    if (line.notes) input.notes = line.notes;
    return input;
  });
}

/** The lines of a revision: each saved line names itself (`id`), a new one does not. */
export function revisionLinesPayload(lines: readonly DraftOrderLine[]): RevisionLineInput[] {
  const inputs = orderLinesPayload(lines);
  return lines.map((line, index) => (line.id ? { ...inputs[index], id: line.id } : inputs[index]));
}
