// Display of the API's decimal strings: quantities without trailing zeros, money with 2+ places.
import { normalizeDecimal, isDecimal } from "./decimal";

export function formatQty(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  return normalizeDecimal(value);
}

export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  const text = normalizeDecimal(value);
  const [whole, fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}
