// One purchase receipt: header (supplier, warehouse, the order it is against, delivery note),
// the lines — accepted and rejected with the reason, batch and dates, net unit cost, share of
// the landed cost charges and landed unit cost — the charges, the state buttons (post,
// cancel), edit and delete of a draft, and the PDF.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { Card, Descriptions, Space, Spin, Table, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import type { ChargeKind, PurchaseReceiptChargeRow, PurchaseReceiptLineRow } from "../../api/contract";
import type { ColumnType } from "antd/es/table";
import { withoutCosts } from "../../auth/access";
import { useAuth } from "../../auth/auth";
import { PrintButton } from "../../features/printing/PrintButton";
import { ReceiptEditForm } from "./ReceiptEditForm";
import { CHARGE_KIND_LABELS } from "./receiptCharges";
import { LoadFailed } from "../../components/LoadFailed";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { formatQty } from "../../lib/format";
import { money } from "./orderTotals";

export function PurchaseReceiptDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const url = `/api/v1/purchase-receipts/${id}/`;
  const receipt = useQuery({
    queryKey: [url],
    queryFn: () => ok(client.GET("/api/v1/purchase-receipts/{id}/", { params: { path: { id: Number(id) } } })),
  });
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  const showCost = useAuth().can("costs");
  if (receipt.isError) return <LoadFailed error={receipt.error} />;
  if (receipt.isLoading || !receipt.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = receipt.data;
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <ReceiptEditForm
          key={`${doc.version}-${editing}`}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => {
            void receipt.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }
  const charged = doc.charges.length > 0;
  return (
    <Card
      title={t("purchase.receiptTitle", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions path="/api/v1/purchase-receipts/{id}/" id={doc.id} available={doc.available_actions} />
          <DraftButtons
            model="purchasing.purchasereceipt"
            path="/api/v1/purchase-receipts/{id}/" id={doc.id}
            status={doc.status}
            listPath="/purchasing/receipts"
            onEdit={() => setEditing(1)}
          />
          <PrintButton url={url} />
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
        <Descriptions.Item label={t("doc.number")}>{doc.number}</Descriptions.Item>
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={doc.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.date")}>{doc.document_date}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.supplier")}>{`${doc.supplier_code} ${doc.supplier_name}`}</Descriptions.Item>
        <Descriptions.Item label={t("doc.warehouse")}>{doc.warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.order")}>
          {doc.order ? <Link to={`/purchasing/orders/${doc.order}`}>{doc.order_number}</Link> : t("purchase.noOrder")}
        </Descriptions.Item>
        <Descriptions.Item label={t("purchase.deliveryNote")}>{doc.reference}</Descriptions.Item>
        <Descriptions.Item label={t("doc.postedBy")}>{doc.posted_by}</Descriptions.Item>
        {showCost && <Descriptions.Item label={t("purchase.valueNet")}>{money(doc.total_value)}</Descriptions.Item>}
        {charged && showCost && (
          <Descriptions.Item label={t("landed.totalCharges")}>
            <span data-testid="receipt-total-charges">
              {money(doc.total_charges)}
              {showCost && ` · ${doc.allocation_basis === "value" ? t("landed.byValue") : t("landed.byQuantity")}`}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table<PurchaseReceiptLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines}
        pagination={false}
        scroll={{ x: showCost ? 900 : 700 }}
        columns={withoutCosts<ColumnType<PurchaseReceiptLineRow>>([
          { title: "#", dataIndex: "line_no", width: 44 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          {
            title: t("purchase.accepted"),
            key: "accepted",
            align: "right",
            width: 100,
            render: (_v, line) => `${formatQty(line.quantity)} ${line.unit_name}`,
          },
          {
            title: t("purchase.rejected"),
            key: "rejected",
            width: 160,
            render: (_v, line) =>
              formatQty(line.rejected_quantity) === "0" ? "" : `${formatQty(line.rejected_quantity)} · ${line.reject_reason}`,
          },
          { title: t("lines.batchNo"), dataIndex: "batch_no", width: 120 },
          { title: t("lines.productionDate"), dataIndex: "production_date", width: 110 },
          { title: t("lines.expiryDate"), dataIndex: "expiry_date", width: 110 },
          { title: t("purchase.unitCostNet"), dataIndex: "unit_cost", align: "right", width: 100, render: (v: string) => formatQty(v) },
          ...(charged && showCost
            ? [
                {
                  title: t("landed.share"),
                  key: "charge",
                  align: "right" as const,
                  width: 100,
                  render: (_v: unknown, line: PurchaseReceiptLineRow) => (
                    <span data-testid={`line-charge-${line.line_no}`}>{money(line.charge_amount)}</span>
                  ),
                },
                {
                  title: t("landed.landedUnitCost"),
                  key: "landed",
                  align: "right" as const,
                  width: 110,
                  render: (_v: unknown, line: PurchaseReceiptLineRow) => (
                    <span data-testid={`line-landed-${line.line_no}`}>{formatQty(line.landed_unit_cost)}</span>
                  ),
                },
              ]
            : []),
        ], showCost)}
      />
      {charged && (
        <Table<PurchaseReceiptChargeRow>
          style={{ marginTop: 16 }}
          title={() => t("landed.charges")}
          rowKey="id"
          size="small"
          dataSource={doc.charges}
          pagination={false}
          data-testid="receipt-charges-table"
          columns={withoutCosts<ColumnType<PurchaseReceiptChargeRow>>([
            { title: "#", dataIndex: "line_no", width: 44 },
            { title: t("landed.kind"), dataIndex: "kind", render: (kind: ChargeKind) => t(CHARGE_KIND_LABELS[kind]) },
            { title: t("landed.amount"), dataIndex: "amount", align: "right", render: (v: string | null) => money(v) },
            { title: t("landed.tax"), dataIndex: "tax_amount", align: "right", render: (v: string | null) => money(v) },
            {
              title: t("landed.paidTo"),
              key: "payee",
              render: (_v, charge) =>
                charge.payable_to_supplier ? <Tag color="blue">{t("landed.payableToSupplier")}</Tag> : charge.payee,
            },
            { title: t("doc.notes"), dataIndex: "notes" },
          ], showCost)}
        />
      )}
    </Card>
  );
}
