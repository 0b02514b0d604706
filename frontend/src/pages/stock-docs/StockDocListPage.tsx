import { useTranslation } from "react-i18next";
import type { StockDocumentListRow } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";
import { kindConfig, type StockKind } from "./kinds";

export function StockDocListPage({ kind }: { kind: StockKind }) {
  const config = kindConfig(kind);
  const { t } = useTranslation();
  return (
    <DocumentListCard<StockDocumentListRow>
      title={t(`docKind.${kind}.list`)}
      api={config.api}
      path={config.path}
      createAccess={config.createAccess}
      columns={[{ title: t("doc.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name }]}
      trailing={[{ title: t("doc.notes"), dataIndex: "notes", ellipsis: true }]}
    />
  );
}
