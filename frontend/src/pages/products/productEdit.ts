// Pure helpers of the product edit page: the category tree, the SKU edit form ↔ PATCH body, and
// the apparel variants dialog (attribute name + comma-separated values).
import { ApiError } from "../../api/http";
import type { Category, SkuRow } from "../../api/contract";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type SkuPatch = Schemas["PatchedSkuRequest"];
export type VariantsBody = Schemas["VariantsRequest"];
export type ProductRow = Schemas["Product"];
export type ProductSkuRow = Schemas["ProductSku"];
export type ProductPatch = Schemas["PatchedProductRequest"];
export type SkuCreate = Schemas["SkuRequest"];
export type Brand = Schemas["Brand"];

export interface CategoryNode {
  value: number;
  title: string;
  children: CategoryNode[];
}

/** Categories (flat, with `parent`) → the nested nodes of an Ant Design TreeSelect. */
export function categoryTree(categories: Pick<Category, "id" | "name" | "code" | "parent">[]): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  for (const c of categories) nodes.set(c.id, { value: c.id, title: `${c.name} (${c.code})`, children: [] });
  const roots: CategoryNode[] = [];
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parent != null ? nodes.get(c.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export interface BarcodeLine {
  code?: string;
  /** 0: the base unit (a Select cannot hold null well). */
  unit?: number;
  is_primary?: boolean;
}

export interface UnitLine {
  unit?: number;
  factor?: string | null;
  retail_price?: string | null;
}

export interface AttributeLine {
  name?: string;
  value?: string;
}

export interface SkuForm {
  spec?: string;
  purchase_price?: string | null;
  retail_price?: string | null;
  member_price?: string | null;
  safety_stock?: string | null;
  attributes?: AttributeLine[];
  barcodes?: BarcodeLine[];
  units?: UnitLine[];
}

/** A SKU as read from /api/v1/skus/{id}/ → the drawer's form values. */
export function skuFormValues(sku: SkuRow): SkuForm {
  return {
    spec: sku.spec ?? "",
    purchase_price: sku.purchase_price ?? "0",
    retail_price: sku.retail_price ?? "0",
    member_price: sku.member_price ?? null,
    safety_stock: sku.safety_stock ?? "0",
    attributes: Object.entries(sku.attributes ?? {}).map(([name, value]) => ({ name, value })),
    barcodes: (sku.barcodes ?? []).map((b) => ({ code: b.code, unit: b.unit ?? 0, is_primary: !!b.is_primary })),
    units: (sku.units ?? []).map((u) => ({ unit: u.unit, factor: u.factor, retail_price: u.retail_price ?? null })),
  };
}

const blank = (value: string | null | undefined) => value === undefined || value === null || value === "";

/** The drawer's form values → the PATCH body (barcodes and units replace the sets). */
export function skuPatch(values: SkuForm): SkuPatch {
  const attributes: Record<string, string> = {};
  for (const line of values.attributes ?? []) {
    const name = line.name?.trim();
    if (name) attributes[name] = (line.value ?? "").trim();
  }
  return {
    spec: (values.spec ?? "").trim(),
    purchase_price: blank(values.purchase_price) ? "0" : values.purchase_price!,
    retail_price: blank(values.retail_price) ? "0" : values.retail_price!,
    member_price: blank(values.member_price) ? null : values.member_price!,
    safety_stock: blank(values.safety_stock) ? "0" : values.safety_stock!,
    attributes,
    barcodes: (values.barcodes ?? [])
      .filter((b) => !!b.code?.trim())
      .map((b) => ({ code: b.code!.trim(), unit: b.unit ? b.unit : null, is_primary: !!b.is_primary })),
    units: (values.units ?? [])
      .filter((u) => u.unit !== undefined && u.unit !== null)
      .map((u) => ({
        unit: u.unit!,
        factor: blank(u.factor) ? "" : u.factor!,
        retail_price: blank(u.retail_price) ? null : u.retail_price!,
      })),
  };
}

/** "S, M，L" → ["S", "M", "L"] (ASCII or full-width commas, 、 too), blanks and repeats dropped. */
export function splitValues(text: string | undefined): string[] {
  const out: string[] = [];
  for (const part of (text ?? "").split(/[,，、]/)) {
    const value = part.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

export interface VariantsForm {
  name1?: string;
  values1?: string;
  name2?: string;
  values2?: string;
  retail_price?: string | null;
}

/** The variants dialog → {attributes: {尺码: [S, M], 颜色: [黑]}}; null when no attribute is complete. */
export function variantsBody(values: VariantsForm): VariantsBody | null {
  const attributes: Record<string, string[]> = {};
  for (const [name, text] of [
    [values.name1, values.values1],
    [values.name2, values.values2],
  ] as const) {
    const key = name?.trim();
    const list = splitValues(text);
    if (key && list.length) attributes[key] = list;
  }
  if (!Object.keys(attributes).length) return null;
  return {
    attributes,
    ...(blank(values.retail_price) ? {} : { retail_price: values.retail_price! }),
  };
}

/** How many SKUs the dialog asks for (the product of the value counts). */
export function variantCount(body: VariantsBody | null): number {
  if (!body) return 0;
  return Object.values(body.attributes).reduce((total, list) => total * list.length, 1);
}

/**
 * API field keys of a SKU PATCH ("barcodes.1.code", "units.0.factor") are the form's own names;
 * dict keys of `attributes` ("attributes.尺码") go on the attributes list as a whole.
 */
export function skuField(key: string): string {
  if (key.startsWith("attributes.")) return "attributes";
  return key;
}

/** The units a barcode may belong to: the base unit (0) and the SKU's conversion units. */
export function barcodeUnitOptions(
  baseUnit: { id: number; name: string },
  units: UnitLine[] | undefined,
  unitName: (id: number) => string,
): { value: number; label: string }[] {
  const out: { value: number; label: string }[] = [{ value: 0, label: baseUnit.name }];
  const seen = new Set<number>([baseUnit.id]);
  for (const line of units ?? []) {
    if (line.unit === undefined || line.unit === null || seen.has(line.unit)) continue;
    seen.add(line.unit);
    out.push({ value: line.unit, label: unitName(line.unit) });
  }
  return out;
}

/** A delete refused because the record has history (the server then names what uses it). */
export function isInUse(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && error.code === "in_use";
}

/** The barcodes of the form that belong to one conversion unit (a case barcode). */
export function barcodesOfUnit(barcodes: BarcodeLine[] | undefined, unit: number | undefined): string[] {
  if (!unit) return [];
  return (barcodes ?? []).filter((b) => b.unit === unit && !!b.code).map((b) => b.code!);
}
