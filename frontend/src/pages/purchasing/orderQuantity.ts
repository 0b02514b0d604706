// An order line's received and open quantities (base unit in the API) in the line's order unit,
// like the ordered quantity: "0 箱 / 10 箱" for a line of 10 箱 (24 罐 each), not "0 罐 / 240 罐";
// "1 箱 1 罐" where the base quantity is not a whole number of order units.
import { divideWhole, normalizeDecimal } from "../../lib/decimal";
import { formatQuantity } from "../../lib/quantity";

export interface OrderUnitLine {
  unit: number;
  unit_name: string;
  base_unit: number;
  base_unit_name: string;
  factor: string; // base units per order unit
}

/** A base-unit quantity of `line` in its order unit (with the base unit's remainder, if any). */
export function inOrderUnit(baseQuantity: string, line: OrderUnitLine): string {
  if (line.unit === line.base_unit || !(Number(line.factor) > 0)) {
    return `${normalizeDecimal(baseQuantity)} ${line.unit_name}`;
  }
  const { whole, rest } = divideWhole(baseQuantity, line.factor);
  if (normalizeDecimal(rest) === "0") return `${whole} ${line.unit_name}`;
  return formatQuantity(baseQuantity, line.base_unit_name, [{ name: line.unit_name, factor: line.factor }]);
}
