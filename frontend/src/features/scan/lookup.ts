import { ApiError, client, ok } from "../../api/http";
import type { SkuLookup } from "../../api/contract";
import type { ScanHit } from "./scanLines";

export function hitFromLookup(lookup: SkuLookup): ScanHit {
  return {
    skuId: lookup.sku.id,
    skuCode: lookup.sku.code,
    skuName: lookup.sku.name,
    unitId: lookup.unit.id,
    unitName: lookup.unit.name,
    factor: lookup.factor || "1",
    baseUnitName: lookup.sku.base_unit.name,
    ...(lookup.sku.base_unit.precision !== undefined ? { basePrecision: lookup.sku.base_unit.precision } : {}),
    tracked: lookup.sku.tracking === "batch",
  };
}

/** Look a barcode up; null when no SKU has it (404). A deactivated SKU (404 inactive_sku) throws
 * the server's error, which says so and where to activate it, unless `includeInactive` (lines
 * that take stock out: a SKU being phased out may still be issued, scrapped or moved). */
export async function lookupBarcode(
  barcode: string,
  { includeInactive = false }: { includeInactive?: boolean } = {},
): Promise<ScanHit | null> {
  const query = includeInactive ? { barcode, include_inactive: true } : { barcode };
  try {
    const lookup = await ok(client.GET("/api/v1/skus/lookup/", { params: { query } }));
    return hitFromLookup(lookup);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code !== "inactive_sku") {
      return null;
    }
    throw error;
  }
}
