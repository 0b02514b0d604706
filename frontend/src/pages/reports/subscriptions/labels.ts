// Texts of the report subscriptions: the subscribable reports, weekdays, languages, and a
// subscription's schedule in words.
import type { TFunction } from "i18next";
import type { ReportSubscriptionRow, SubscribableReport, SubscriptionLanguage } from "../../../api/contract";
import type { MessageKey } from "../../../i18n/keys";

export const REPORT_LABELS: Record<SubscribableReport, MessageKey> = {
  "stock-summary": "subscriptions.reportStockSummary",
  "stock-status": "subscriptions.reportStockStatus",
  "stock-ageing": "subscriptions.reportStockAgeing",
  "expiring-batches": "subscriptions.reportExpiringBatches",
  turnover: "subscriptions.reportTurnover",
  purchases: "subscriptions.reportPurchases",
  "open-purchase-orders": "subscriptions.reportOpenPurchaseOrders",
  "supplier-rating": "subscriptions.reportSupplierRating",
  returns: "subscriptions.reportReturns",
  "batch-trace": "subscriptions.reportBatchTrace",
};

/** The reports over a period: their subscription chooses which period is sent. */
export const PERIOD_REPORTS: ReadonlySet<SubscribableReport> = new Set<SubscribableReport>([
  "stock-summary",
  "turnover",
  "purchases",
  "supplier-rating",
  "returns",
]);

export const LANGUAGE_LABELS: Record<SubscriptionLanguage, MessageKey> = {
  "zh-hans": "subscriptions.languageZh",
  en: "subscriptions.languageEn",
};

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function weekdayLabel(t: TFunction, day: Weekday): string {
  return t(`subscriptions.weekday_${day}`);
}

export function scheduleText(t: TFunction, row: Pick<ReportSubscriptionRow, "frequency" | "hour" | "weekday" | "day_of_month">): string {
  if (row.frequency === "weekly") {
    const day = WEEKDAYS.find((d) => d === row.weekday) ?? 0;
    return t("subscriptions.scheduleWeekly", { weekday: weekdayLabel(t, day), hour: row.hour });
  }
  if (row.frequency === "monthly") return t("subscriptions.scheduleMonthly", { day: row.day_of_month ?? 1, hour: row.hour });
  return t("subscriptions.scheduleDaily", { hour: row.hour });
}
