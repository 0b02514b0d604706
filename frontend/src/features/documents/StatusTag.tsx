import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { DocumentStatus } from "../../api/contract";

const COLORS: Partial<Record<DocumentStatus, string>> = {
  draft: "default",
  submitted: "processing",
  approved: "cyan",
  shipped: "orange",
  counting: "orange",
  posted: "green",
  reversed: "red",
  cancelled: "default",
};

export function StatusTag({ status }: { status: DocumentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="doc-status">
      {t(`doc.status_${status}`)}
    </Tag>
  );
}
