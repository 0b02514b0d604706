import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { DocumentStatus, PurchaseOrderStatus } from "../../api/contract";

/** Every status a document of any family may be in (stock documents, transfers, counts,
 *  purchase orders and receipts). */
export type AnyDocumentStatus =
  | DocumentStatus
  | PurchaseOrderStatus
  | "partially_ordered" // a purchase request's
  | "ordered";

const COLORS: Partial<Record<AnyDocumentStatus, string>> = {
  draft: "default",
  submitted: "processing",
  approved: "cyan",
  sent: "blue",
  shipped: "orange",
  counting: "orange",
  partially_received: "gold",
  received: "green",
  posted: "green",
  closed: "purple",
  reversed: "red",
  cancelled: "default",
  partially_ordered: "gold",
  ordered: "green",
};

export function StatusTag({ status }: { status: AnyDocumentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="doc-status">
      {t(`doc.status_${status}`)}
    </Tag>
  );
}
