// The supplier-item form's values ↔ the API's request body (dates as YYYY-MM-DD strings,
// decimals as strings, empty optional fields as null so the server takes its default).
import dayjs, { type Dayjs } from "dayjs";
import type { SupplierItemRow, SupplierItemWrite } from "../../api/contract";

export interface SupplierItemValues {
  supplier?: number;
  sku?: number;
  item_code?: string;
  purchase_unit?: number | null;
  pack_size?: string | null;
  price?: string | null;
  price_valid_from?: Dayjs | null;
  price_valid_to?: Dayjs | null;
  min_order_qty?: string | null;
  lead_time_days?: number | null;
  preferred?: boolean;
  active?: boolean;
  notes?: string;
  price_note?: string;
}

const blank = (value: string | null | undefined): string | null =>
  value === null || value === undefined || String(value).trim() === "" ? null : String(value).trim();

export function toValues(row: SupplierItemRow | null): SupplierItemValues {
  if (!row) {
    return { item_code: "", purchase_unit: null, pack_size: null, price: null, price_valid_from: dayjs(), price_valid_to: null, min_order_qty: "0", lead_time_days: null, preferred: false, active: true, notes: "", price_note: "" };
  }
  return {
    supplier: row.supplier,
    sku: row.sku,
    item_code: row.item_code ?? "",
    purchase_unit: row.purchase_unit ?? null,
    pack_size: row.pack_size ?? null,
    price: row.price,
    price_valid_from: row.price_valid_from ? dayjs(row.price_valid_from) : null,
    price_valid_to: row.price_valid_to ? dayjs(row.price_valid_to) : null,
    min_order_qty: row.min_order_qty ?? "0",
    lead_time_days: row.lead_time_days ?? null,
    preferred: row.preferred ?? false,
    active: row.active ?? true,
    notes: row.notes ?? "",
    price_note: "",
  };
}

export function toBody(values: SupplierItemValues, editing: boolean): Partial<SupplierItemWrite> {
  const body: Partial<SupplierItemWrite> = {
    item_code: (values.item_code ?? "").trim(),
    purchase_unit: values.purchase_unit ?? null,
    pack_size: blank(values.pack_size),
    price: blank(values.price) ?? "",
    price_valid_from: values.price_valid_from ? values.price_valid_from.format("YYYY-MM-DD") : undefined,
    price_valid_to: values.price_valid_to ? values.price_valid_to.format("YYYY-MM-DD") : null,
    min_order_qty: blank(values.min_order_qty) ?? "0",
    lead_time_days: values.lead_time_days ?? null,
    preferred: values.preferred ?? false,
    active: values.active ?? true,
    notes: values.notes ?? "",
  };
  if (editing) {
    if (values.price_note) body.price_note = values.price_note;
  } else {
    body.supplier = values.supplier;
    body.sku = values.sku;
  }
  return body;
}
