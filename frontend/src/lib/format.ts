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

/** A headline amount (dashboard cards): rounded to 2 places, thousands separated (92,362.71). */
export function formatAmountGrouped(value: string | null | undefined): string {
  return groupThousands(formatAmount(value));
}

function groupThousands(text: string): string {
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || !isDecimal(value)) return value ?? "";
  const text = normalizeDecimal(value);
  const [whole, fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}
