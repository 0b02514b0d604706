// Date-times in the company's time zone (Company.time_zone), whatever the browser's zone is:
// the stock-at page asks "stock at 2026-11-01 00:00 in Shanghai", not in the user's laptop zone.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** "YYYY-MM-DD HH:mm:ss" read as a wall-clock time in `zone` → ISO 8601 with that zone's offset. */
export function wallTimeToIso(wallTime: string, zone: string): string {
  return dayjs.tz(wallTime, "YYYY-MM-DD HH:mm:ss", zone || DEFAULT_TIME_ZONE).format();
}

/** The last instant of a day in `zone` (23:59:59.999999), for an inclusive "to" date filter:
 *  a move posted at 23:59:59.5 still belongs to that day. */
export function endOfDayIso(date: string, zone: string): string {
  const iso = wallTimeToIso(`${date} 23:59:59`, zone); // "YYYY-MM-DDT23:59:59+08:00"
  return `${iso.slice(0, 19)}.999999${iso.slice(19)}`;
}

/** The wall-clock time in `zone` of an instant ("now" when omitted), as "YYYY-MM-DD HH:mm:ss". */
export function wallTimeIn(zone: string, instant?: string | Date): string {
  return dayjs(instant).tz(zone || DEFAULT_TIME_ZONE).format("YYYY-MM-DD HH:mm:ss");
}

/** Today's date in `zone`, "YYYY-MM-DD". */
export function todayIn(zone: string, instant?: string | Date): string {
  return wallTimeIn(zone, instant).slice(0, 10);
}
