// One purchase request: header, lines with the order each went to, the state buttons (submit,
// approve, consolidate → draft orders, cancel), edit and delete of a draft, approval history.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { App as AntApp, Button, Card, Descriptions, Popconfirm, Space, Spin, Table } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseRequestLineRow } from "../../../api/contract";
import { useAuth } from "../../../auth/auth";
import { hasPermission } from "../../../auth/access";
import { DocumentActions } from "../../../features/documents/DocumentActions";
import { StatusTag } from "../../../features/documents/StatusTag";
import { LoadFailed } from "../../../components/LoadFailed";
import { ApprovalHistory } from "../../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../../features/approvals/actions";
import { formatQty } from "../../../lib/format";
import { REQUESTS_API, REQUESTS_PATH } from "./RequestListPage";
import { RequestForm } from "./RequestForm";

export function RequestDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const url = `${REQUESTS_API}${id}/`;
  const [editing, setEditing] = useState(false);
  const document = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/purchase-requests/{id}/", { params: { path: { id: Number(id) } } })) });
  const remove = useMutation({
    mutationFn: () => client.DELETE("/api/v1/purchase-requests/{id}/", { params: { path: { id: Number(id) } } }),
    onSuccess: () => {
      message.success(t("draft.deleted"));
      queryClient.removeQueries({ queryKey: [url] });
      void queryClient.invalidateQueries();
      navigate(REQUESTS_PATH, { replace: true });
    },
    onError: (error) => showError(error, t, message),
  });
  if (document.isError) return <LoadFailed error={document.error} />;
  if (document.isLoading || !document.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = document.data;
  const draft = doc.status === "draft";
  if (editing && draft) {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <RequestForm key={doc.version} doc={doc} onDone={() => setEditing(false)} />
      </Card>
    );
  }
  return (
    <Card
      title={t("purchaseRequest.detail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions path="/api/v1/purchase-requests/{id}/" id={doc.id} available={withoutRuleApprove(doc.available_actions, doc.approval)} />
          {draft && hasPermission(me, "purchasing.change_purchaserequest") && (
            <Button onClick={() => setEditing(true)} data-testid="draft-edit">
              {t("draft.edit")}
            </Button>
          )}
          {draft && hasPermission(me, "purchasing.delete_purchaserequest") && (
            <Popconfirm title={t("draft.confirmDelete")} onConfirm={() => remove.mutate()}>
              <Button danger loading={remove.isPending}>
                {t("draft.delete")}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
        <Descriptions.Item label={t("doc.number")}>{doc.number}</Descriptions.Item>
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={doc.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.date")}>{doc.document_date}</Descriptions.Item>
        <Descriptions.Item label={t("purchaseRequest.store")}>{doc.store_name}</Descriptions.Item>
        <Descriptions.Item label={t("doc.warehouse")}>{doc.warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("purchaseRequest.neededBy")}>{doc.needed_by ?? ""}</Descriptions.Item>
        <Descriptions.Item label={t("doc.createdBy")}>{doc.created_by ?? ""}</Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")} span={2}>
          {doc.notes}
        </Descriptions.Item>
      </Descriptions>
      <Table<PurchaseRequestLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          {
            title: t("doc.quantity"),
            key: "quantity",
            align: "right",
            render: (_v, line) => `${formatQty(line.quantity)} ${line.unit_name}`,
          },
          { title: t("purchaseRequest.neededBy"), dataIndex: "needed_by" },
          { title: t("doc.notes"), dataIndex: "notes" },
          {
            title: t("purchaseRequest.order"),
            key: "order",
            render: (_v, line) =>
              line.order_number ? (
                <Link to={`/purchasing/orders/${line.order}`} data-testid={`request-order-${line.line_no}`}>
                  {line.order_number}
                </Link>
              ) : (
                t("purchaseRequest.notOrdered")
              ),
          },
        ]}
      />
      <ApprovalHistory approval={doc.approval} />
    </Card>
  );
}
