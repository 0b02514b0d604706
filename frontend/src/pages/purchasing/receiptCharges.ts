// Landed cost charges of a purchase receipt (到岸成本: freight 运费, duty 关税, insurance,
// other) as the receipt editor holds them: text inputs, checked here before they are sent;
// the server shares them over the accepted lines (by value or by quantity) and previews it.
import type { ChargeInput, ChargeKind, PurchaseReceiptChargeRow } from "../../api/contract";
import type { MessageKey } from "../../i18n/keys";
import { compareDecimal, isDecimal, normalizeDecimal } from "../../lib/decimal";

export const CHARGE_KINDS: ChargeKind[] = ["freight", "duty", "insurance", "other"];

export const CHARGE_KIND_LABELS: Record<ChargeKind, MessageKey> = {
  freight: "landed.kind_freight",
  duty: "landed.kind_duty",
  insurance: "landed.kind_insurance",
  other: "landed.kind_other",
};

export interface ChargeEntry {
  key: number;
  kind: ChargeKind;
  amount: string;
  taxAmount: string;
  payableToSupplier: boolean;
  payee: string;
  notes: string;
}

export function newCharge(key: number): ChargeEntry {
  return { key, kind: "freight", amount: "", taxAmount: "", payableToSupplier: false, payee: "", notes: "" };
}

/** The editor's entries of a receipt's saved charges (amounts null: not shown to this user). */
export function chargeEntries(rows: readonly PurchaseReceiptChargeRow[]): ChargeEntry[] {
  return rows.map((row, index) => ({
    key: index + 1,
    kind: row.kind,
    amount: row.amount === null ? "" : normalizeDecimal(row.amount),
    taxAmount: row.tax_amount === null || compareDecimal(row.tax_amount, "0") === 0 ? "" : normalizeDecimal(row.tax_amount),
    payableToSupplier: row.payable_to_supplier,
    payee: row.payee,
    notes: row.notes,
  }));
}

const FEN = /^\d+(\.\d{1,2})?$/;

/** What must still be fixed on a charge (i18n keys). */
export function chargeIssues(entry: ChargeEntry): MessageKey[] {
  const issues: MessageKey[] = [];
  const amount = entry.amount.trim();
  if (!amount || !isDecimal(amount) || !FEN.test(amount) || compareDecimal(amount, "0") <= 0) {
    issues.push("landed.amountIssue");
  }
  const tax = entry.taxAmount.trim();
  if (tax && (!isDecimal(tax) || !FEN.test(tax))) issues.push("landed.taxIssue");
  return issues;
}

export function chargeBody(entries: readonly ChargeEntry[]): ChargeInput[] {
  return entries.map((entry) => ({
    kind: entry.kind,
    amount: entry.amount.trim(),
    tax_amount: entry.taxAmount.trim() || "0",
    payable_to_supplier: entry.payableToSupplier,
    payee: entry.payableToSupplier ? "" : entry.payee.trim(),
    notes: entry.notes.trim(),
  }));
}
