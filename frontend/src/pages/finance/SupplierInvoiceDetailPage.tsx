// A supplier invoice: header, the lines with their three-way match (order price, receipt,
// invoice) and flags; accept the differences (with a comment), then the life-cycle buttons; a
// draft is edited in place (number, date, lines, quantities, prices) or deleted.
import { useState } from "react";
import { useParams } from "react-router";
import { App as AntApp, Button, Card, Descriptions, Input, Modal, Space, Spin, Table, Tag } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { SupplierInvoiceLineRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { PrintButton } from "../../features/printing/PrintButton";
import { StatusTag } from "../../features/documents/StatusTag";
import { ApprovalHistory } from "../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../features/approvals/actions";
import { LoadFailed } from "../../components/LoadFailed";
import { formatAmountGrouped, formatMoney, formatQty } from "../../lib/format";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { SupplierInvoiceForm } from "./SupplierInvoiceCreatePage";

function Flags({ line }: { line: SupplierInvoiceLineRow }) {
  const { t } = useTranslation();
  if (!line.price_difference && !line.quantity_difference) return <Tag color="green">{t("finance.matched")}</Tag>;
  return (
    <Space size={4} wrap>
      {line.price_difference && <Tag color="orange">{t("finance.priceDifference")}</Tag>}
      {line.quantity_difference && <Tag color="orange">{t("finance.quantityDifference")}</Tag>}
      {line.needs_acceptance ? (
        <Tag color="red" data-testid="needs-acceptance">{t("finance.toAccept")}</Tag>
      ) : (
        <Tag color="blue">{t("finance.acceptedBy", { user: line.accepted_by ?? "" })}</Tag>
      )}
    </Space>
  );
}

export function SupplierInvoiceDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const url = `/api/v1/supplier-invoices/${id}/`;
  const [accepting, setAccepting] = useState(false);
  const [comment, setComment] = useState("");
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  const invoice = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/supplier-invoices/{id}/", { params: { path: { id: Number(id) } } })) });
  const accept = useMutation({
    mutationFn: () => ok(client.POST("/api/v1/supplier-invoices/{id}/accept/", { params: { path: { id: Number(id) } }, body: { comment }, headers: idempotent() })),
    onSuccess: async () => {
      setAccepting(false);
      message.success(t("finance.differencesAccepted"));
      await queryClient.invalidateQueries();
    },
    onError: (error) => showError(error, t, message),
  });
  if (invoice.isError) return <LoadFailed error={invoice.error} />;
  if (invoice.isLoading || !invoice.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = invoice.data;
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <SupplierInvoiceForm
          key={`${doc.version}-${editing}`}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => {
            void invoice.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }
  return (
    <Card
      title={t("finance.invoiceDetail", { number: doc.number })}
      extra={
        <Space wrap>
          {doc.available_actions.includes("accept") && (
            <Button type="primary" danger data-testid="action-accept" onClick={() => setAccepting(true)}>
              {t("finance.acceptDifferences")}
            </Button>
          )}
          <DocumentActions path="/api/v1/supplier-invoices/{id}/" id={doc.id} available={withoutRuleApprove(doc.available_actions, doc.approval)} />
          <DraftButtons
            model="finance.supplierinvoice"
            path="/api/v1/supplier-invoices/{id}/" id={doc.id}
            status={doc.status}
            listPath="/finance/supplier-invoices"
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
        <Descriptions.Item label={t("finance.supplier")}>{`${doc.supplier_code} ${doc.supplier_name}`}</Descriptions.Item>
        <Descriptions.Item label={t("finance.invoiceNo")}>{doc.invoice_no}</Descriptions.Item>
        <Descriptions.Item label={t("finance.invoiceDate")}>{doc.invoice_date}</Descriptions.Item>
        <Descriptions.Item label={t("finance.dueDate")}>{doc.due_date}</Descriptions.Item>
        <Descriptions.Item label={t("finance.net")}>{formatAmountGrouped(doc.total_net)}</Descriptions.Item>
        <Descriptions.Item label={t("finance.tax")}>{formatAmountGrouped(doc.total_tax)}</Descriptions.Item>
        <Descriptions.Item label={t("finance.amount")}>
          <span data-testid="invoice-total">{formatAmountGrouped(doc.total_gross)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("finance.receiptAmount")}>{formatAmountGrouped(doc.receipt_amount)}</Descriptions.Item>
        <Descriptions.Item label={t("finance.difference")}>
          <span data-testid="invoice-difference">{formatAmountGrouped(doc.difference)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")}>{doc.notes}</Descriptions.Item>
      </Descriptions>
      <Table<SupplierInvoiceLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { title: "#", dataIndex: "line_no", width: 44 },
          { title: t("finance.receipt"), key: "receipt", render: (_v, l) => `${l.receipt_number} / ${l.receipt_line_no}` },
          { title: t("doc.sku"), key: "sku", render: (_v, l) => `${l.sku_code} ${l.sku_name}` },
          { title: t("doc.unit"), dataIndex: "unit_name", width: 60 },
          { title: t("finance.received"), dataIndex: "received_quantity", align: "right", render: (v: string) => formatQty(v) },
          { title: t("finance.invoiced"), dataIndex: "quantity", align: "right", render: (v: string) => formatQty(v) },
          { title: t("finance.orderPrice"), dataIndex: "expected_price", align: "right", render: (v: string) => formatMoney(v) },
          { title: t("finance.invoicePrice"), dataIndex: "price", align: "right", render: (v: string) => formatMoney(v) },
          { title: t("finance.vat"), dataIndex: "tax_rate", align: "right", width: 60, render: (v: string) => `${formatQty(v)}%` },
          { title: t("finance.amount"), dataIndex: "gross_amount", align: "right", render: (v: string) => formatAmountGrouped(v) },
          { title: t("finance.receiptAmount"), dataIndex: "receipt_amount", align: "right", render: (v: string) => formatAmountGrouped(v) },
          { title: t("finance.match"), key: "flags", render: (_v, l) => <Flags line={l} /> },
        ]}
      />
      <ApprovalHistory approval={doc.approval} />
      <Modal
        open={accepting}
        title={t("finance.acceptDifferences")}
        okText={t("finance.acceptDifferences")}
        cancelText={t("common.cancel")}
        confirmLoading={accept.isPending}
        onOk={() => accept.mutate()}
        onCancel={() => setAccepting(false)}
      >
        <p>{t("finance.acceptHelp")}</p>
        <Input.TextArea
          data-testid="accept-comment"
          maxLength={200}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t("finance.acceptComment")}
        />
      </Modal>
    </Card>
  );
}
