// 采购订单: the purchase orders in the user's stores, filtered by state, supplier and warehouse
// (and by number and date, as every document list), states as tags.
import { useState } from "react";
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import type { PurchaseOrderListRow, PurchaseOrderStatus } from "../../api/contract";
import { DocumentListCard } from "../../features/drafts/DocumentListCard";
import { useWarehouseOptions } from "../../features/stock/queries";
import { money } from "./orderTotals";
import { useSupplierOptions } from "./queries";

export const ORDER_STATUSES: PurchaseOrderStatus[] = [
  "draft",
  "submitted",
  "approved",
  "sent",
  "partially_received",
  "received",
  "closed",
  "cancelled",
];

export function PurchaseOrderListPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>();
  const [supplier, setSupplier] = useState<number>();
  const [warehouse, setWarehouse] = useState<number>();
  const suppliers = useSupplierOptions();
  const warehouses = useWarehouseOptions();
  return (
    <DocumentListCard<PurchaseOrderListRow>
      title={t("menu.purchaseOrders")}
      api="/api/v1/purchase-orders/"
      path="/purchasing/orders"
      createAccess="purchaseOrdersCreate"
      query={{ status, supplier, warehouse }}
      filters={
        <>
          <Select<string>
            allowClear
            placeholder={t("doc.status")}
            style={{ minWidth: 130 }}
            value={status}
            onChange={setStatus}
            options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`doc.status_${s}`) }))}
            data-testid="filter-status"
          />
          <Select<number>
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t("purchase.supplier")}
            style={{ minWidth: 200 }}
            value={supplier}
            onChange={setSupplier}
            options={suppliers}
            data-testid="filter-supplier"
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
        { title: t("doc.warehouse"), dataIndex: "warehouse_name", responsive: ["md"] },
        { title: t("purchase.expectedDate"), dataIndex: "expected_date", width: 120, responsive: ["md"] },
        {
          title: t("purchase.gross"),
          dataIndex: "total_gross",
          align: "right",
          width: 120,
          render: (value: string) => money(value),
        },
      ]}
    />
  );
}
