import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { SupplierInvoiceListRow } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";
import { formatAmountGrouped } from "../../lib/format";

export function SupplierInvoiceListPage() {
  const { t } = useTranslation();
  return (
    <DocumentListCard<SupplierInvoiceListRow>
      title={t("finance.invoices")}
      api="/api/v1/supplier-invoices/"
      path="/finance/supplier-invoices"
      createAccess="supplierInvoicesCreate"
      columns={[
        { title: t("finance.supplier"), key: "supplier", render: (_v, row) => `${row.supplier_code} ${row.supplier_name}` },
        { title: t("finance.invoiceNo"), dataIndex: "invoice_no", width: 120 },
        { title: t("finance.amount"), dataIndex: "total_gross", align: "right", width: 120, render: (v: string) => formatAmountGrouped(v) },
        {
          title: t("finance.difference"),
          key: "difference",
          align: "right",
          width: 150,
          render: (_v, row) => (
            <span>
              {formatAmountGrouped(row.difference)}{" "}
              {row.needs_acceptance ? (
                <Tag color="red">{t("finance.toAccept")}</Tag>
              ) : row.flagged ? (
                <Tag color="orange">{t("finance.accepted")}</Tag>
              ) : null}
            </span>
          ),
        },
      ]}
    />
  );
}
