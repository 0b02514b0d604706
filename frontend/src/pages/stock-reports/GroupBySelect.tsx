import { Select } from "antd";
import { useTranslation } from "react-i18next";
import type { MessageKey } from "../../i18n/keys";

export type GroupBy = "batch" | "warehouse_sku" | "sku";

export const GROUP_BY_LABELS: Record<GroupBy, MessageKey> = {
  batch: "stockPages.groupBatch",
  warehouse_sku: "stockPages.groupWarehouseSku",
  sku: "stockPages.groupSku",
};

export function GroupBySelect({ value, onChange }: { value: GroupBy; onChange: (value: GroupBy) => void }) {
  const { t } = useTranslation();
  return (
    <Select<GroupBy>
      id="group-by"
      aria-label={t("stockPages.groupBy")}
      style={{ minWidth: 150 }}
      value={value}
      onChange={onChange}
      options={(Object.keys(GROUP_BY_LABELS) as GroupBy[]).map((key) => ({
        value: key,
        label: `${t("stockPages.groupBy")}: ${t(GROUP_BY_LABELS[key])}`,
      }))}
    />
  );
}
