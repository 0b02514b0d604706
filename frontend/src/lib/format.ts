// Display of the API's decimal strings: quantities without trailing zeros, money with 2+ places.
import { isDecimal, normalizeDecimal, roundDecimal } from "./decimal";

export function formatQty(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  return normalizeDecimal(value);
}

/** A money total for people (stock value, document totals): rounded to 2 places. */
export function formatAmount(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  return formatMoney(roundDecimal(value, 2));
}

export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  const text = normalizeDecimal(value);
  const [whole, fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}
