// 采购退货 list: number, date, supplier, warehouse, source receipt, amount incl. tax, status.
import { useTranslation } from "react-i18next";
import type { PurchaseReturnListRow } from "../../../api/contract";
import { DocumentListCard } from "../../../features/drafts/DocumentListCard";
import { formatAmountGrouped } from "../../../lib/format";

export const RETURNS_PATH = "/purchasing/returns";
export const RETURNS_API = "/api/v1/purchase-returns/";

export function ReturnListPage() {
  const { t } = useTranslation();
  return (
    <DocumentListCard<PurchaseReturnListRow>
      title={t("menu.purchaseReturns")}
      api={RETURNS_API}
      path={RETURNS_PATH}
      createAccess="purchaseReturnsCreate"
      columns={[
        { title: t("purchaseReturn.supplier"), key: "supplier", render: (_v, row) => row.supplier_name },
        { title: t("doc.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name },
        { title: t("purchaseReturn.receipt"), dataIndex: "receipt_number" },
        {
          title: t("purchaseReturn.totalGross"),
          dataIndex: "total_gross",
          align: "right",
          render: formatAmountGrouped,
        },
      ]}
      trailing={[{ title: t("purchaseReturn.reason"), dataIndex: "reason", ellipsis: true }]}
    />
  );
}
