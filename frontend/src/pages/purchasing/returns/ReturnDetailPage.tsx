// One purchase return: header (supplier, receipt, reason, amounts), its lines at the receipt's
// prices, the state buttons (submit, approve, post, reverse 红冲, cancel), PDF and approval history;
// a draft is edited in place — one from a receipt by its quantities and reason, one to the
// supplier from a warehouse by its lines (SKU, batch, quantity) and reason — or deleted.
import { useState } from "react";
import { useParams } from "react-router";
import { Card, Descriptions, Space, Spin, Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../../api/http";
import type { ColumnType } from "antd/es/table";
import type { PurchaseReturnLineRow } from "../../../api/contract";
import { useAuth } from "../../../auth/auth";
import { withoutCosts } from "../../../auth/access";
import { DocumentActions } from "../../../features/documents/DocumentActions";
import { StatusTag } from "../../../features/documents/StatusTag";
import { PrintButton } from "../../../features/printing/PrintButton";
import { LoadFailed } from "../../../components/LoadFailed";
import { ApprovalHistory } from "../../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../../features/approvals/actions";
import { formatAmountGrouped, formatMoney, formatQty } from "../../../lib/format";
import { RETURNS_API, RETURNS_PATH } from "./ReturnListPage";
import { ReturnForm } from "./ReturnCreatePage";
import { BatchReturnForm } from "./BatchReturnForm";
import { DraftButtons } from "../../../features/drafts/DraftButtons";

export function ReturnDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const showCost = useAuth().can("costs");
  const url = `${RETURNS_API}${id}/`;
  const document = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/purchase-returns/{id}/", { params: { path: { id: Number(id) } } })) });
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  if (document.isError) return <LoadFailed error={document.error} />;
  if (document.isLoading || !document.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = document.data;
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        {doc.receipt ? (
          <ReturnForm
            key={`${doc.version}-${editing}`}
            doc={doc}
            onDone={() => setEditing(0)}
            onReload={() => {
              void document.refetch().then(() => setEditing((n) => n + 1));
            }}
          />
        ) : (
          <BatchReturnForm
            key={`${doc.version}-${editing}`}
            doc={doc}
            onDone={() => setEditing(0)}
            onReload={() => {
              void document.refetch().then(() => setEditing((n) => n + 1));
            }}
          />
        )}
      </Card>
    );
  }
  return (
    <Card
      title={t("purchaseReturn.detail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions path="/api/v1/purchase-returns/{id}/" id={doc.id} available={withoutRuleApprove(doc.available_actions, doc.approval)} />
          <DraftButtons
            model="purchasing.purchasereturn"
            path="/api/v1/purchase-returns/{id}/" id={doc.id}
            status={doc.status}
            listPath={RETURNS_PATH}
            onEdit={() => setEditing(1)}
            canEdit
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
        <Descriptions.Item label={t("purchaseReturn.supplier")}>
          {doc.supplier_code} {doc.supplier_name}
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.warehouse")}>{doc.warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("purchaseReturn.receipt")}>{doc.receipt_number ?? ""}</Descriptions.Item>
        {showCost && (
          <>
            <Descriptions.Item label={t("purchaseReturn.totalNet")}>{formatAmountGrouped(doc.total_net)}</Descriptions.Item>
            <Descriptions.Item label={t("purchaseReturn.totalTax")}>{formatAmountGrouped(doc.total_tax)}</Descriptions.Item>
            <Descriptions.Item label={t("purchaseReturn.totalGross")}>
              <span data-testid="return-total-gross">{formatAmountGrouped(doc.total_gross)}</span>
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label={t("purchaseReturn.reason")}>{doc.reason}</Descriptions.Item>
        <Descriptions.Item label={t("doc.postedBy")}>{doc.posted_by ?? ""}</Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")}>{doc.notes}</Descriptions.Item>
      </Descriptions>
      <Table<PurchaseReturnLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines ?? []}
        pagination={false}
        scroll={{ x: showCost ? 900 : 600 }}
        summary={() => showCost && (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={7}>
              <Typography.Text strong>{t("doc.total")}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">{formatAmountGrouped(doc.total_net)}</Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right">{formatAmountGrouped(doc.total_tax)}</Table.Summary.Cell>
            <Table.Summary.Cell index={9} align="right">
              <Typography.Text strong>{formatAmountGrouped(doc.total_gross)}</Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
        columns={withoutCosts<ColumnType<PurchaseReturnLineRow>>([
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("purchaseReturn.receipt"), dataIndex: "receipt_number" },
          { title: t("lines.batch"), dataIndex: "batch_no" },
          {
            title: t("doc.quantity"),
            key: "quantity",
            align: "right",
            render: (_v, line) => `${formatQty(line.quantity)} ${line.unit_name}`,
          },
          { title: t("purchaseReturn.unitCost"), dataIndex: "unit_cost", align: "right", render: formatMoney },
          { title: t("purchaseReturn.taxRate"), dataIndex: "tax_rate", align: "right", render: (v: string) => `${Number(v)}%` },
          { title: t("purchaseReturn.net"), dataIndex: "net_amount", align: "right", render: formatAmountGrouped },
          { title: t("purchaseReturn.tax"), dataIndex: "tax_amount", align: "right", render: formatAmountGrouped },
          { title: t("purchaseReturn.gross"), dataIndex: "gross_amount", align: "right", render: formatAmountGrouped },
        ], showCost)}
      />
      <ApprovalHistory approval={doc.approval} />
    </Card>
  );
}
