// The period and grouping every report over a period shares, kept in the URL with the other
// report filters: `useReportPeriod` reads them (the default period: this month to today, or the
// last N days), `PeriodPicker` and `GroupingSelect` change them and go back to the first page.
import { DatePicker, Select } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { todayIn } from "../../features/stock/companyTime";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { useUrlFilters } from "../stock-reports/filters";
import type { MessageKey } from "../../i18n/keys";

/** The report's period from the URL; without one, this month so far or the last `days` days. */
export function useReportPeriod(days?: number): { today: string; from: string; to: string } {
  const filters = useUrlFilters();
  const today = todayIn(useCompanyTimeZone());
  const defaultFrom = days ? dayjs(today).subtract(days - 1, "day").format("YYYY-MM-DD") : `${today.slice(0, 8)}01`;
  return { today, from: filters.text("date_from") ?? defaultFrom, to: filters.text("date_to") ?? today };
}

/** A URL date for the picker: none for one that is not a calendar day (2026-02-30 would show as
 *  2026-03-02 while the API is asked for, and refuses, 02-30). */
export function pickerDay(value: string): dayjs.Dayjs | null {
  const day = dayjs(value);
  return day.isValid() && day.format("YYYY-MM-DD") === value ? day : null;
}

export function PeriodPicker({ from, to, today, onChange }: { from: string; to: string; today: string; onChange: () => void }) {
  const filters = useUrlFilters();
  return (
    <DatePicker.RangePicker
      allowClear={false}
      value={[pickerDay(from), pickerDay(to)]}
      disabledDate={(day) => day.isAfter(today, "day")}
      onChange={(range) => {
        filters.set({ date_from: range?.[0]?.format("YYYY-MM-DD"), date_to: range?.[1]?.format("YYYY-MM-DD") });
        onChange();
      }}
      data-testid="period"
    />
  );
}

/** The grouping from the URL (`group_by`), or the report's default. */
export function useGrouping<G extends string>(groupings: readonly G[]): G {
  const value = useUrlFilters().text("group_by") as G | undefined;
  return value && groupings.includes(value) ? value : groupings[0];
}

export function GroupingSelect<G extends string>({
  groupings,
  labels,
  value,
  onChange,
}: {
  groupings: readonly G[]; // the first is the report's default (kept out of the URL)
  labels: Record<G, MessageKey>;
  value: G;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  return (
    <Select<G>
      style={{ minWidth: 150 }}
      value={value}
      onChange={(next) => {
        filters.set({ group_by: next === groupings[0] ? undefined : next });
        onChange();
      }}
      options={groupings.map((g) => {
        const label: MessageKey = labels[g];
        return { value: g, label: t(label) };
      })}
      data-testid="group-by"
    />
  );
}
