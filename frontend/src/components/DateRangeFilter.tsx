// A list's date-range filter (from, to: inclusive days, YYYY-MM-DD), e.g. the document date.
import { DatePicker } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";

export interface DateRange {
  from?: string;
  to?: string;
}

export function DateRangeFilter({
  value,
  onChange,
  testId = "date-range",
}: {
  value: DateRange;
  onChange: (range: DateRange) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId}>
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        value={[value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null]}
        onChange={(dates) =>
          onChange({
            from: dates?.[0] ? dates[0].format("YYYY-MM-DD") : undefined,
            to: dates?.[1] ? dates[1].format("YYYY-MM-DD") : undefined,
          })
        }
        placeholder={[t("list.dateFrom"), t("list.dateTo")]}
        style={{ maxWidth: 280 }}
      />
    </span>
  );
}
