// How urgent a batch's expiry is, for the near-expiry page: expired (red), within 7 days
// (orange), later (no highlight). Dates are the API's "YYYY-MM-DD" in the company's calendar.

export type ExpiryLevel = "expired" | "soon" | "ok" | "none";

export const SOON_DAYS = 7;
export const DEFAULT_EXPIRY_WINDOW = 30;
export const EXPIRY_WINDOWS = [7, 15, 30, 60, 90, 180] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

/** Whole days from `today` to `expiry` (0: expires today, negative: already expired). */
export function daysUntil(expiry: string, today: string): number {
  return dayNumber(expiry) - dayNumber(today);
}

/** A batch is expired once its expiry date has passed; it is "soon" up to SOON_DAYS ahead. */
export function expiryLevel(expiry: string | null | undefined, today: string): ExpiryLevel {
  if (!expiry) return "none";
  const days = daysUntil(expiry, today);
  if (days < 0) return "expired";
  if (days <= SOON_DAYS) return "soon";
  return "ok";
}

export const EXPIRY_COLORS: Record<ExpiryLevel, string | undefined> = {
  expired: "red",
  soon: "orange",
  ok: undefined,
  none: undefined,
};
