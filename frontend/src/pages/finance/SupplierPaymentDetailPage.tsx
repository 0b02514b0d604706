// A supplier payment: header and allocations, the life-cycle buttons; a draft is edited in place
// (amount, method, date, reference, allocations) or deleted.
import { useState } from "react";
import { useParams } from "react-router";
import { Card, Descriptions, Space, Spin, Table } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import type { SupplierPaymentRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { LoadFailed } from "../../components/LoadFailed";
import { formatAmountGrouped } from "../../lib/format";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { SupplierPaymentForm } from "./SupplierPaymentCreatePage";

type Allocation = SupplierPaymentRow["allocations"][number];

export function SupplierPaymentDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const url = `/api/v1/supplier-payments/${id}/`;
  const payment = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/supplier-payments/{id}/", { params: { path: { id: Number(id) } } })) });
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  if (payment.isError) return <LoadFailed error={payment.error} />;
  if (payment.isLoading || !payment.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = payment.data;
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <SupplierPaymentForm
          key={`${doc.version}-${editing}`}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => {
            void payment.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }
  return (
    <Card
      title={t("finance.paymentDetail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions path="/api/v1/supplier-payments/{id}/" id={doc.id} available={doc.available_actions} />
          <DraftButtons
            model="finance.supplierpayment"
            path="/api/v1/supplier-payments/{id}/" id={doc.id}
            status={doc.status}
            listPath="/finance/supplier-payments"
            onEdit={() => setEditing(1)}
          />
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
        <Descriptions.Item label={t("doc.number")}>{doc.number}</Descriptions.Item>
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={doc.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("finance.paymentDate")}>{doc.document_date}</Descriptions.Item>
        <Descriptions.Item label={t("finance.supplier")}>{`${doc.supplier_code} ${doc.supplier_name}`}</Descriptions.Item>
        <Descriptions.Item label={t("finance.store")}>{doc.store_code}</Descriptions.Item>
        <Descriptions.Item label={t("finance.method")}>{t(`finance.method_${doc.method}`)}</Descriptions.Item>
        <Descriptions.Item label={t("finance.amount")}>{formatAmountGrouped(doc.amount)}</Descriptions.Item>
        <Descriptions.Item label={t("finance.reference")}>{doc.reference}</Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")}>{doc.notes}</Descriptions.Item>
      </Descriptions>
      <Table<Allocation>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.allocations}
        pagination={false}
        columns={[
          { title: "#", dataIndex: "line_no", width: 44 },
          {
            title: t("finance.document"),
            key: "doc",
            render: (_v, a) =>
              a.invoice ? `${t("finance.item_supplierinvoice")} ${a.invoice_number} (${a.invoice_no})` : `${t("finance.item_purchasereceipt")} ${a.receipt_number}`,
          },
          { title: t("finance.allocation"), dataIndex: "amount", align: "right", render: (v: string) => formatAmountGrouped(v) },
        ]}
      />
    </Card>
  );
}
