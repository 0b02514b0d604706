import { useTranslation } from "react-i18next";
import type { TransferListRow } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";

export function TransferListPage() {
  const { t } = useTranslation();
  return (
    <DocumentListCard<TransferListRow>
      title={t("transfer.title")}
      api="/api/v1/transfers/"
      path="/inventory/transfers"
      createAccess="transfersCreate"
      columns={[
        {
          title: t("transfer.route"),
          key: "route",
          render: (_v, row) => `${row.from_warehouse_name} → ${row.to_warehouse_name}`,
        },
      ]}
    />
  );
}
