import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type {
  PurchaseOrderStatus,
  PurchaseReceiptStatus,
  PurchaseRequestStatus,
  PurchaseReturnStatus,
  StockCountStatus,
  StockDocumentStatus,
  SupplierInvoiceStatus,
  SupplierPaymentStatus,
  TransferStatus,
} from "../../api/contract";

/** Every status a document of any type may be in: the union of each type's own enum (a page
 *  of one type compares its `status` against that type's enum only). */
export type AnyDocumentStatus =
  | StockDocumentStatus
  | TransferStatus
  | StockCountStatus
  | PurchaseOrderStatus
  | PurchaseReceiptStatus
  | PurchaseReturnStatus
  | PurchaseRequestStatus
  | SupplierInvoiceStatus
  | SupplierPaymentStatus;

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
