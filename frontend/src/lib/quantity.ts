// How a quantity in the SKU's base unit is shown: "27 个" or, with a bigger unit, "2 箱 3 个".
import { compareDecimal, divideWhole, normalizeDecimal } from "./decimal";

export interface UnitFactor {
  name: string;
  factor: string; // base units per this unit
}

export interface QuantityParts {
  big?: { quantity: string; unit: string };
  base: { quantity: string; unit: string };
}

/**
 * Split a base-unit quantity into the largest conversion unit (factor > 1) and a base-unit
 * remainder. Negative quantities keep their sign on each part; zero whole units show base only.
 */
export function splitQuantity(
  baseQuantity: string,
  baseUnit: string,
  units: UnitFactor[] = [],
): QuantityParts {
  const bigger = units
    .filter((u) => compareDecimal(u.factor, "1") > 0)
    .sort((a, b) => compareDecimal(b.factor, a.factor));
  const quantity = normalizeDecimal(baseQuantity);
  for (const unit of bigger) {
    const { whole, rest } = divideWhole(quantity, unit.factor);
    if (whole !== "0") {
      return { big: { quantity: whole, unit: unit.name }, base: { quantity: rest, unit: baseUnit } };
    }
  }
  return { base: { quantity, unit: baseUnit } };
}

/** The text of splitQuantity: "2 箱 3 个", "2 箱", "5 个". */
export function formatQuantity(
  baseQuantity: string,
  baseUnit: string,
  units: UnitFactor[] = [],
): string {
  const parts = splitQuantity(baseQuantity, baseUnit, units);
  if (!parts.big) return `${parts.base.quantity} ${parts.base.unit}`.trim();
  const big = `${parts.big.quantity} ${parts.big.unit}`;
  return parts.base.quantity === "0" ? big : `${big} ${parts.base.quantity} ${parts.base.unit}`.trim();
}
