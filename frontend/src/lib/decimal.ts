// Exact decimal arithmetic on the API's decimal strings (never floats for quantities).
const PATTERN = /^([+-])?(\d*)(?:\.(\d*))?$/;

interface Scaled {
  value: bigint;
  scale: number;
}

export function parseDecimal(text: string): Scaled {
  const match = PATTERN.exec(text.trim());
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new Error(`not a decimal: ${text}`);
  }
  const fraction = match[3] ?? "";
  const digits = `${match[2] || "0"}${fraction}`;
  const value = BigInt(digits) * (match[1] === "-" ? -1n : 1n);
  return { value, scale: fraction.length };
}

export function isDecimal(text: string): boolean {
  try {
    parseDecimal(text);
    return true;
  } catch {
    return false;
  }
}

function rescale(number: Scaled, scale: number): bigint {
  return number.value * 10n ** BigInt(scale - number.scale);
}

export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const intPart = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? digits.slice(digits.length - scale).replace(/0+$/, "") : "";
  const result = fraction ? `${intPart}.${fraction}` : intPart;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/** a + b, exact, without trailing zeros ("1.50" + "1" = "2.5"). */
export function addDecimal(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return formatScaled(rescale(x, scale) + rescale(y, scale), scale);
}

/** a × b, exact. */
export function multiplyDecimal(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return formatScaled(x.value * y.value, x.scale + y.scale);
}

/** Compare a and b: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** Whole units of `factor` in `quantity` and the remainder: 27 ÷ 12 = 2 rest 3. */
export function divideWhole(quantity: string, factor: string): { whole: string; rest: string } {
  const q = parseDecimal(quantity);
  const f = parseDecimal(factor);
  const scale = Math.max(q.scale, f.scale);
  const qs = rescale(q, scale);
  const fs = rescale(f, scale);
  if (fs <= 0n) throw new Error("factor must be positive");
  const whole = qs / fs; // bigint division truncates toward zero
  const rest = qs - whole * fs;
  return { whole: whole.toString(), rest: formatScaled(rest, scale) };
}

/** Normalise a decimal string ("2.500" → "2.5", "-0" → "0"). */
export function normalizeDecimal(text: string): string {
  const x = parseDecimal(text);
  return formatScaled(x.value, x.scale);
}

/** `text` rounded half away from zero to `places` decimals, exact ("6875.3078", 2 → "6875.31"). */
export function roundDecimal(text: string, places: number): string {
  const number = parseDecimal(text);
  if (number.scale <= places) return formatScaled(number.value, number.scale);
  const divisor = 10n ** BigInt(number.scale - places);
  const negative = number.value < 0n;
  const magnitude = negative ? -number.value : number.value;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return formatScaled(negative ? -rounded : rounded, places);
}
