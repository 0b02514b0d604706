// The purchase order pages: a new order, and one order — header, lines with what was received,
// totals net/tax/gross, the receipts against it, the approval history, the state buttons the
// server offers the user (submit, approve/reject, send, revise, close, cancel), edit/delete of a
// draft, revising (修订) an approved order with its revision history, the PDF, and "receive" for
// who may receive goods.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, App as AntApp, Button, Card, Descriptions, Input, Modal, Space, Spin, Table, Tag, Typography } from "antd";
import { InboxOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import type {
  PurchaseOrderLineRow,
  PurchaseOrderRevisionRow,
  PurchaseReceiptListRow,
} from "../../api/contract";
import type { ColumnType } from "antd/es/table";
import type { MessageKey } from "../../i18n/keys";
import { useAuth } from "../../auth/auth";
import { withoutCosts } from "../../auth/access";
import { LoadFailed } from "../../components/LoadFailed";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { ApprovalHistory } from "../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../features/approvals/actions";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { PrintButton } from "../../features/printing/PrintButton";
import { formatQty } from "../../lib/format";
import { wallTimeIn } from "../../features/stock/companyTime";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { money } from "./orderTotals";
import { inOrderUnit } from "./orderQuantity";
import { PurchaseOrderForm } from "./PurchaseOrderForm";

/** An order receives goods while approved, sent or partially received. */
export const RECEIVABLE = ["approved", "sent", "partially_received"];

export function PurchaseOrderCreatePage() {
  const { t } = useTranslation();
  return (
    <Card title={t("purchase.createOrder")}>
      <PurchaseOrderForm />
    </Card>
  );
}


export function OrderReceipts({ orderId }: { orderId: number }) {
  const { t } = useTranslation();
  const showCost = useAuth().can("costs");
  const receipts = useQuery({
    queryKey: ["/api/v1/purchase-receipts/", { order: orderId }],
    queryFn: () =>
      ok(client.GET("/api/v1/purchase-receipts/", { params: { query: { order: orderId, page_size: 100 } } })),
  });
  const rows = receipts.data?.results ?? [];
  if (rows.length === 0) return null;
  return (
    <Card size="small" style={{ marginTop: 16 }} title={t("menu.purchaseReceipts")} data-testid="order-receipts">
      <Table<PurchaseReceiptListRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={withoutCosts<ColumnType<PurchaseReceiptListRow>>([
          { title: t("doc.number"), key: "number", render: (_v, r) => <Link to={`/purchasing/receipts/${r.id}`}>{r.number}</Link> },
          { title: t("doc.date"), dataIndex: "document_date", width: 110 },
          { title: t("doc.status"), key: "status", width: 100, render: (_v, r) => <StatusTag status={r.status} /> },
          { title: t("purchase.valueNet"), key: "value", align: "right", render: (_v, r) => money(r.total_value) },
        ], showCost)}
      />
    </Card>
  );
}

const REVISION_STATUS: Record<PurchaseOrderRevisionRow["status"], MessageKey> = {
  pending: "purchase.revisionStatus_pending",
  approved: "purchase.revisionStatus_approved",
  applied: "purchase.revisionStatus_applied",
  rejected: "purchase.revisionStatus_rejected",
};
const REVISION_COLOR: Record<PurchaseOrderRevisionRow["status"], string> = {
  pending: "gold",
  approved: "green",
  applied: "blue",
  rejected: "red",
};

/** The revision history (修订记录): each revision with who, when, why and the amount before →
 * after; a row opens the lines of the revision it replaced, as they were. */
export function RevisionHistory({ revisions }: { revisions: readonly PurchaseOrderRevisionRow[] }) {
  const { t } = useTranslation();
  const showCost = useAuth().can("costs");
  const zone = useCompanyTimeZone();
  if (revisions.length === 0) return null;
  return (
    <Card size="small" style={{ marginTop: 16 }} title={t("purchase.revisions")} data-testid="po-revisions">
      <Table<PurchaseOrderRevisionRow>
        rowKey="number"
        size="small"
        pagination={false}
        dataSource={[...revisions].reverse()}
        scroll={{ x: 800 }}
        expandable={{
          expandedRowRender: (revision) => (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              title={() => t("purchase.previousLines", { number: revision.previous.revision })}
              dataSource={revision.previous.lines}
              columns={withoutCosts<ColumnType<PurchaseOrderRevisionRow["previous"]["lines"][number]>>([
                { title: "#", dataIndex: "line_no", width: 44 },
                { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
                {
                  title: t("doc.quantity"),
                  key: "quantity",
                  align: "right",
                  render: (_v, line) => `${formatQty(line.quantity)} ${line.unit_name}`,
                },
                { title: t("purchase.price"), dataIndex: "price", align: "right", render: (value: string | null) => money(value) },
                { title: t("purchase.gross"), dataIndex: "gross_amount", align: "right", render: (value: string | null) => money(value) },
                { title: t("purchase.expectedDate"), dataIndex: "expected_date", width: 110 },
                { title: t("purchase.received"), dataIndex: "received_quantity", align: "right", render: (value: string) => formatQty(value) },
              ], showCost)}
            />
          ),
        }}
        columns={withoutCosts<ColumnType<PurchaseOrderRevisionRow>>([
          { title: t("purchase.revision"), dataIndex: "number", width: 70 },
          {
            title: t("purchase.revisionStatus"),
            key: "status",
            width: 150,
            render: (_v, revision) => (
              <Tag color={REVISION_COLOR[revision.status]} data-testid={`po-revision-status-${revision.number}`}>
                {t(REVISION_STATUS[revision.status])}
              </Tag>
            ),
          },
          { title: t("purchase.revisedBy"), dataIndex: "created_by", width: 110 },
          { title: t("purchase.revisedAt"), key: "at", width: 150, render: (_v, revision) => wallTimeIn(zone, revision.created_at).slice(0, 16) },
          {
            title: t("purchase.amountBeforeAfter"),
            key: "amount",
            align: "right",
            width: 190,
            render: (_v, revision) => (
              <span data-testid={`po-revision-amount-${revision.number}`}>
                {`${money(revision.previous.total_gross)} → ${money(revision.total_gross)}`}
              </span>
            ),
          },
          { title: t("purchase.revisionReason"), dataIndex: "reason" },
        ], showCost)}
      />
    </Card>
  );
}

/** Short-closing an order asks why (the reason is on the order and its PDF). */
function CloseOrderModal({ orderId, onClose }: { orderId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const close = useMutation({
    mutationFn: () =>
      ok(client.POST("/api/v1/purchase-orders/{id}/close/", { params: { path: { id: orderId } }, body: { reason: reason.trim() }, headers: idempotent() })),
    onSuccess: async () => {
      message.success(t("doc.done_close"));
      await queryClient.invalidateQueries();
      onClose();
    },
    onError: (error) => showError(error, t, message),
  });
  return (
    <Modal
      open
      title={t("purchase.closeTitle")}
      okText={t("doc.close")}
      okButtonProps={{ danger: true, ...({ "data-testid": "po-close-confirm" } as Record<string, string>) }}
      cancelText={t("common.cancel")}
      confirmLoading={close.isPending}
      onOk={() => close.mutate()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t("purchase.closeHint")}</Typography.Paragraph>
      <Input
        placeholder={t("purchase.closeReason")}
        maxLength={200}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        data-testid="po-close-reason"
      />
    </Modal>
  );
}

export function PurchaseOrderDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const showCost = can("costs");
  const url = `/api/v1/purchase-orders/${id}/`;
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session
  const [closing, setClosing] = useState(false);
  const [revising, setRevising] = useState(0); // 0: not revising; else the revision session
  const order = useQuery({
    queryKey: [url],
    queryFn: () => ok(client.GET("/api/v1/purchase-orders/{id}/", { params: { path: { id: Number(id) } } })),
  });
  if (order.isError) return <LoadFailed error={order.error} />;
  if (order.isLoading || !order.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = order.data;
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <PurchaseOrderForm
          key={`${doc.version}-${editing}`}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => void order.refetch().then(() => setEditing((n) => n + 1))}
        />
      </Card>
    );
  }
  if (revising && doc.available_actions.includes("revise")) {
    return (
      <Card title={t("purchase.reviseTitle", { number: doc.number, revision: doc.revision + 1 })}>
        <PurchaseOrderForm
          key={`${doc.version}-${revising}`}
          doc={doc}
          revise
          onDone={() => setRevising(0)}
          onReload={() => void order.refetch().then(() => setRevising((n) => n + 1))}
        />
      </Card>
    );
  }
  const receivable = RECEIVABLE.includes(doc.status) && can("purchaseReceiptsCreate");
  return (
    <Card
      title={t("purchase.orderTitle", { number: doc.number })}
      extra={
        <Space wrap>
          {receivable && (
            <Link to={`/purchasing/orders/${doc.id}/receive`}>
              <Button type="primary" icon={<InboxOutlined />} data-testid="po-receive">
                {t("purchase.receive")}
              </Button>
            </Link>
          )}
          <DocumentActions
            path="/api/v1/purchase-orders/{id}/"
            id={doc.id}
            available={withoutRuleApprove(doc.available_actions, doc.approval)}
            custom={{ close: () => setClosing(true), revise: () => setRevising(1) }}
          />
          <DraftButtons
            model="purchasing.purchaseorder"
            path="/api/v1/purchase-orders/{id}/" id={doc.id}
            status={doc.status}
            listPath="/purchasing/orders"
            onEdit={() => setEditing(1)}
          />
          <PrintButton url={url} />
        </Space>
      }
    >
      {doc.revision_pending_status && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="po-revision-pending"
          message={t("purchase.revisionPending", {
            revision: doc.revision,
            status: t(`doc.status_${doc.revision_pending_status as "approved" | "sent" | "partially_received"}`),
          })}
        />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
        <Descriptions.Item label={t("doc.number")}>{doc.number}</Descriptions.Item>
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={doc.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.date")}>{doc.document_date}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.supplier")}>{`${doc.supplier_code} ${doc.supplier_name}`}</Descriptions.Item>
        <Descriptions.Item label={t("doc.warehouse")}>{doc.warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.expectedDate")}>{doc.expected_date ?? ""}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.reference")}>{doc.reference}</Descriptions.Item>
        <Descriptions.Item label={t("doc.createdBy")}>{doc.created_by}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.approvedBy")}>{doc.approved_by}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.revision")}>
          <span data-testid="po-revision">{doc.revision}</span>
        </Descriptions.Item>
        {doc.close_reason && <Descriptions.Item label={t("purchase.closeReason")}>{doc.close_reason}</Descriptions.Item>}
        <Descriptions.Item label={t("doc.notes")}>{doc.notes}</Descriptions.Item>
      </Descriptions>
      <Table<PurchaseOrderLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines}
        pagination={false}
        scroll={{ x: showCost ? 1000 : 600 }}
        columns={withoutCosts<ColumnType<PurchaseOrderLineRow>>([
          { title: "#", dataIndex: "line_no", width: 44 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("doc.quantity"), key: "quantity", align: "right", width: 90, render: (_v, line) => `${formatQty(line.quantity)} ${line.unit_name}` },
          { title: t("purchase.price"), dataIndex: "price", align: "right", width: 90, render: (value: string) => money(value) },
          { title: t("purchase.taxRate"), dataIndex: "tax_rate", align: "right", width: 70, render: (value: string) => `${formatQty(value)}%` },
          { title: t("purchase.discount"), dataIndex: "discount", align: "right", width: 70, render: (value: string) => `${formatQty(value)}%` },
          { title: t("purchase.net"), dataIndex: "net_amount", align: "right", width: 100, render: (value: string) => money(value) },
          { title: t("purchase.tax"), dataIndex: "tax_amount", align: "right", width: 90, render: (value: string) => money(value) },
          { title: t("purchase.gross"), dataIndex: "gross_amount", align: "right", width: 100, render: (value: string) => money(value) },
          {
            title: t("purchase.received"),
            key: "received",
            align: "right",
            width: 100,
            render: (_v, line) => <span data-testid={`po-received-${line.sku_code}`}>{inOrderUnit(line.received_quantity, line)}</span>,
          },
          {
            title: t("purchase.open"),
            key: "open",
            align: "right",
            width: 100,
            render: (_v, line) => <span data-testid={`po-open-${line.sku_code}`}>{inOrderUnit(line.open_quantity, line)}</span>,
          },
        ], showCost)}
      />
      {showCost && (
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginTop: 12 }} data-testid="po-totals">
        <Descriptions.Item label={t("purchase.net")}>{money(doc.total_net)}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.tax")}>{money(doc.total_tax)}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.gross")}>
          <Typography.Text strong data-testid="po-total-gross">
            {money(doc.total_gross)}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      )}
      <RevisionHistory revisions={doc.revisions} />
      <OrderReceipts orderId={doc.id} />
      <ApprovalHistory approval={doc.approval} />
      {closing && <CloseOrderModal orderId={doc.id} onClose={() => setClosing(false)} />}
    </Card>
  );
}
