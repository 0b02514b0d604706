// A purchase order's amounts, computed in the browser exactly as the server does
// (purchasing.services.orders.order_line_amounts) so the form shows live totals; the server
// recomputes them on save and stays the source of truth.
//
// A line: amount = quantity × price × (100 − discount %) / 100. Prices incl. tax: gross = the
// amount to the fen, net = gross / (1 + rate) to the fen, tax = gross − net. Prices excl. tax:
// net = the amount to the fen, tax = net × rate to the fen, gross = net + tax. Every rounding
// is half up; the order's totals are the sums of its rounded lines.
import { isDecimal, parseDecimal } from "../../lib/decimal";
import { formatAmountGrouped } from "../../lib/format";

export interface LineAmounts {
  net: string;
  tax: string;
  gross: string;
}

export interface AmountInput {
  quantity: string;
  price: string;
  taxRate: string; // percent: "13"
  discount: string; // percent: "5"
}

const ZERO: LineAmounts = { net: "0.00", tax: "0.00", gross: "0.00" };

/** n / d rounded half up (away from zero at .5), d > 0. */
function roundHalfUp(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return negative ? -q : q;
}

/** Fen (an integer) as a money string: 12345n → "123.45". */
export function fenText(fen: bigint): string {
  const negative = fen < 0n;
  const digits = (negative ? -fen : fen).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function toFen(text: string): bigint {
  const { value, scale } = parseDecimal(text);
  return scale <= 2 ? value * 10n ** BigInt(2 - scale) : roundHalfUp(value, 10n ** BigInt(scale - 2));
}

function lineFen(input: AmountInput, taxIncluded: boolean): { net: bigint; tax: bigint; gross: bigint } | null {
  const fields = [input.quantity, input.price, input.taxRate || "0", input.discount || "0"];
  if (!fields.every((f) => isDecimal(f))) return null;
  const q = parseDecimal(input.quantity);
  const p = parseDecimal(input.price);
  const d = parseDecimal(input.discount || "0");
  const r = parseDecimal(input.taxRate || "0");
  const dScale = 10n ** BigInt(d.scale);
  const rScale = 10n ** BigInt(r.scale);
  // amount in fen = q × p × (100 − d) / 100 × 100
  const numerator = q.value * p.value * (100n * dScale - d.value);
  const denominator = 10n ** BigInt(q.scale + p.scale) * dScale;
  const amount = roundHalfUp(numerator, denominator);
  if (taxIncluded) {
    const gross = amount;
    const net = roundHalfUp(gross * 100n * rScale, 100n * rScale + r.value);
    return { net, tax: gross - net, gross };
  }
  const net = amount;
  const tax = roundHalfUp(net * r.value, 100n * rScale);
  return { net, tax, gross: net + tax };
}

/** One line's net, tax and gross ("0.00" each while a field is not a number yet). */
export function lineAmounts(input: AmountInput, taxIncluded: boolean): LineAmounts {
  const fen = lineFen(input, taxIncluded);
  if (!fen) return ZERO;
  return { net: fenText(fen.net), tax: fenText(fen.tax), gross: fenText(fen.gross) };
}

/** The order's totals: the sums of its rounded lines. */
export function orderTotals(lines: readonly AmountInput[], taxIncluded: boolean): LineAmounts {
  let net = 0n;
  let tax = 0n;
  let gross = 0n;
  for (const line of lines) {
    const fen = lineFen(line, taxIncluded);
    if (!fen) continue;
    net += fen.net;
    tax += fen.tax;
    gross += fen.gross;
  }
  return { net: fenText(net), tax: fenText(tax), gross: fenText(gross) };
}

/** A money string from the API ("60065.4000") shown to the fen, thousands grouped
 *  ("60,065.40"). */
export function money(text: string | null | undefined): string {
  if (!text || !isDecimal(text)) return "";
  return formatAmountGrouped(fenText(toFen(text)));
}
