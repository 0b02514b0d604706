// 采购入库: the purchase receipts in the user's stores (against an order or without one).
import { useState } from "react";
import { Link } from "react-router";
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import type { PurchaseReceiptListRow } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";
import { useWarehouseOptions } from "../../features/stock/queries";
import { money } from "./orderTotals";
import { useSupplierOptions } from "./queries";

export function PurchaseReceiptListPage() {
  const { t } = useTranslation();
  const [supplier, setSupplier] = useState<number>();
  const [warehouse, setWarehouse] = useState<number>();
  const suppliers = useSupplierOptions();
  const warehouses = useWarehouseOptions();
  return (
    <DocumentListCard<PurchaseReceiptListRow>
      title={t("menu.purchaseReceipts")}
      api="/api/v1/purchase-receipts/"
      path="/purchasing/receipts"
      createAccess="purchaseReceiptsCreate"
      query={{ supplier, warehouse }}
      filters={
        <>
          <Select<number>
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t("purchase.supplier")}
            style={{ minWidth: 200 }}
            value={supplier}
            onChange={setSupplier}
            options={suppliers}
          />
          <Select<number>
            allowClear
            placeholder={t("doc.warehouse")}
            style={{ minWidth: 160 }}
            value={warehouse}
            onChange={setWarehouse}
            options={warehouses}
          />
        </>
      }
      columns={[
        { title: t("purchase.supplier"), key: "supplier", render: (_v, row) => row.supplier_name },
        {
          title: t("purchase.order"),
          key: "order",
          render: (_v, row) =>
            row.order ? <Link to={`/purchasing/orders/${row.order}`}>{row.order_number}</Link> : t("purchase.noOrder"),
        },
        { title: t("doc.warehouse"), dataIndex: "warehouse_name", responsive: ["md"] },
        {
          title: t("purchase.valueNet"),
          dataIndex: "total_value",
          align: "right",
          width: 120,
          render: (value: string) => money(value),
        },
      ]}
    />
  );
}
