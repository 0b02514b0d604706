import { useTranslation } from "react-i18next";
import type { SupplierPaymentListRow } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";
import { formatAmountGrouped } from "../../lib/format";

export function SupplierPaymentListPage() {
  const { t } = useTranslation();
  return (
    <DocumentListCard<SupplierPaymentListRow>
      title={t("finance.payments")}
      api="/api/v1/supplier-payments/"
      path="/finance/supplier-payments"
      createAccess="supplierPaymentsCreate"
      columns={[
        { title: t("finance.supplier"), key: "supplier", render: (_v, row) => `${row.supplier_code} ${row.supplier_name}` },
        { title: t("finance.method"), key: "method", width: 130, render: (_v, row) => t(`finance.method_${row.method}`) },
        { title: t("finance.reference"), dataIndex: "reference", width: 140 },
        { title: t("finance.amount"), dataIndex: "amount", align: "right", width: 120, render: (v: string) => formatAmountGrouped(v) },
      ]}
    />
  );
}
