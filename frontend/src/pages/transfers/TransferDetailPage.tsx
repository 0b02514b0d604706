import { useState } from "react";
import { useParams } from "react-router";
import { Card, Descriptions, Grid, Space, Spin, Table, Typography, type TableColumnsType } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import type { InTransitLineRow, TransferLineRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { PrintButton } from "../../features/printing/PrintButton";
import { formatQty } from "../../lib/format";
import { LoadFailed } from "../../components/LoadFailed";
import { ApprovalHistory } from "../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../features/approvals/actions";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { TransferForm } from "./TransferForm";
import { BatchCell } from "../../features/drafts/BatchCell";
import { hasBins, lineQuantity } from "./receive";
import { ReceiveModal } from "./ReceiveModal";

/** The batch of a line: once shipped, the batches actually sent (first expiry first, with
 *  their expiry dates and quantities); before, the batch chosen or "automatic (FEFO)". */
function ShippedBatchCell({ line, info }: { line: TransferLineRow; info: InTransitLineRow | undefined }) {
  const { t } = useTranslation();
  const shipped = info?.shipped_batches ?? [];
  if (shipped.length === 0) return <BatchCell line={line} />;
  return (
    <div data-testid={`shipped-batches-${line.sku_code}`}>
      {shipped.map((b) => (
        <div key={b.batch ?? b.batch_no}>
          {b.batch_no}
          <Typography.Text type="secondary">
            {b.expiry_date ? ` · ${t("lines.expires", { date: b.expiry_date })}` : ""}
            {` · ${lineQuantity(b.quantity, line)}`}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** Shipped, received, discrepancy and in transit are kept in the base unit: name it when the
 *  line's own unit is another (2 箱 ordered, 24 个 shipped). */
function inBaseUnit(value: string, line: TransferLineRow): string {
  const quantity = formatQty(value);
  return formatQty(line.factor) === "1" ? quantity : `${quantity} ${line.base_unit_name}`;
}

export function TransferDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const url = `/api/v1/transfers/${id}/`;
  const [receiving, setReceiving] = useState(false);
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  // On a phone a line is one cell (SKU, batches and bins, then its quantities): a wide table
  // would hide the quantities behind a sideways scroll.
  const compact = Grid.useBreakpoint().md === false;
  const transfer = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/transfers/{id}/", { params: { path: { id: Number(id) } } })) });
  if (transfer.isError) return <LoadFailed error={transfer.error} />;
  if (transfer.isLoading || !transfer.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = transfer.data;
  const transitInfo = new Map(doc.in_transit.map((row) => [row.line, row]));
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <TransferForm
          key={`${doc.version}-${editing}`}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => {
            void transfer.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }
  const figure = (line: TransferLineRow, key: string, label: string, value: string) => (
    <span key={key} data-testid={`${key}-${line.sku_code}`}>
      <Typography.Text type="secondary">{label} </Typography.Text>
      {value}
    </span>
  );
  const compactColumns: TableColumnsType<TransferLineRow> = [
    { title: "#", dataIndex: "line_no", width: 36 },
    {
      title: t("doc.sku"),
      key: "line",
      render: (_v, line) => (
        <div>
          <div>{`${line.sku_code} ${line.sku_name}`}</div>
          <ShippedBatchCell line={line} info={transitInfo.get(line.id)} />
          {(line.from_location_code || line.to_location_code) && (
            <Typography.Text type="secondary" style={{ display: "block" }}>
              {[line.from_location_code, line.to_location_code].map((code) => code || "—").join(" → ")}
            </Typography.Text>
          )}
          <Space wrap size={[12, 0]} style={{ marginTop: 4 }}>
            {figure(line, "quantity", t("doc.quantity"), `${formatQty(line.quantity)} ${line.unit_name}`)}
            {Number(line.shipped_quantity) !== 0 && [
                figure(line, "shipped", t("transfer.shipped"), inBaseUnit(line.shipped_quantity, line)),
                figure(line, "received", t("transfer.received"), inBaseUnit(line.received_quantity, line)),
                figure(line, "discrepancy", t("transfer.discrepancy"), inBaseUnit(line.discrepancy_quantity, line)),
                figure(line, "in-transit", t("transfer.inTransit"), inBaseUnit(line.in_transit_quantity, line)),
              ]}
          </Space>
        </div>
      ),
    },
  ];
  return (
    <Card
      title={t("transfer.detail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions
            path="/api/v1/transfers/{id}/"
            id={doc.id}
            available={withoutRuleApprove(doc.available_actions, doc.approval)}
            custom={{ receive: () => setReceiving(true) }}
          />
          <DraftButtons
            model="transfer"
            path="/api/v1/transfers/{id}/" id={doc.id}
            status={doc.status}
            listPath="/inventory/transfers"
            onEdit={() => setEditing(1)}
            sideWarehouses={[doc.from_warehouse]} // only the sending store changes a draft
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
        <Descriptions.Item label={t("transfer.fromWarehouse")}>{doc.from_warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("transfer.toWarehouse")}>{doc.to_warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")}>
          <span className="sl-notes" data-testid="transfer-notes">
            {doc.notes}
          </span>
        </Descriptions.Item>
      </Descriptions>
      <Table<TransferLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines}
        pagination={false}
        scroll={compact ? undefined : { x: 860 }}
        columns={compact ? compactColumns : [
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("doc.unit"), dataIndex: "unit_name", width: 70 },
          {
            title: t("lines.batch"),
            key: "batch",
            render: (_v, line) => <ShippedBatchCell line={line} info={transitInfo.get(line.id)} />,
          },
          ...(hasBins(doc.lines, "from_location")
            ? [{ title: t("transfer.fromLocation"), dataIndex: "from_location_code", width: 90 }]
            : []),
          ...(hasBins(doc.lines, "to_location")
            ? [{ title: t("transfer.toLocation"), dataIndex: "to_location_code", width: 90 }]
            : []),
          { title: t("doc.quantity"), dataIndex: "quantity", align: "right", width: 90, render: formatQty },
          { title: t("transfer.shipped"), dataIndex: "shipped_quantity", align: "right", width: 100, render: inBaseUnit },
          { title: t("transfer.received"), dataIndex: "received_quantity", align: "right", width: 100, render: inBaseUnit },
          { title: t("transfer.discrepancy"), dataIndex: "discrepancy_quantity", align: "right", width: 100, render: inBaseUnit },
          { title: t("transfer.inTransit"), dataIndex: "in_transit_quantity", align: "right", width: 100, render: inBaseUnit },
        ]}
      />
      <ApprovalHistory approval={doc.approval} />
      {receiving && <ReceiveModal transfer={doc} onClose={() => setReceiving(false)} />}
    </Card>
  );
}
