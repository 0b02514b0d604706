import { useState } from "react";
import { useParams } from "react-router";
import { Card, Descriptions, Grid, Space, Spin, Table, Typography, type TableColumnsType } from "antd";
import { useAuth } from "../../auth/auth";
import { withoutCosts } from "../../auth/access";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import type { StockDocumentLineRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { PrintButton } from "../../features/printing/PrintButton";
import { LabelsButton } from "../../features/printing/LabelsButton";
import { kindConfig, type StockKind } from "./kinds";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { StockDocForm } from "./StockDocForm";
import { BatchCell } from "../../features/drafts/BatchCell";
import { formatAmountGrouped, formatMoney, formatQty } from "../../lib/format";
import { addDecimal, multiplyDecimal } from "../../lib/decimal";
import { wallTimeIn } from "../../features/stock/companyTime";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { LoadFailed } from "../../components/LoadFailed";
import { ApprovalHistory } from "../../features/approvals/ApprovalHistory";
import { withoutRuleApprove } from "../../features/approvals/actions";

export function StockDocDetailPage({ kind }: { kind: StockKind }) {
  const config = kindConfig(kind);
  const { id } = useParams();
  const { t } = useTranslation();
  const url = `${config.api}${id}/`;
  const document = useQuery({
    queryKey: [url],
    queryFn: () => ok(client.GET(config.detail, { params: { path: { id: Number(id) } } })),
  });
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  const zone = useCompanyTimeZone();
  const showCost = useAuth().can("costs"); // unit cost and amount columns
  // On a phone a line is one cell (SKU, batch and location, then quantity and amount): a wide
  // table would hide the quantity behind a sideways scroll.
  const compact = Grid.useBreakpoint().md === false;
  if (document.isError) return <LoadFailed error={document.error} />;
  if (document.isLoading || !document.data) {
    return <Spin style={{ display: "block", margin: 48 }} />;
  }
  const doc = document.data;
  const lines = doc.lines ?? [];
  // a line's amount: what it moved when posted, else quantity × unit cost when one is given
  const amount = (line: StockDocumentLineRow): string | null =>
    line.value ?? (line.unit_cost ? multiplyDecimal(line.quantity, line.unit_cost) : null);
  const amounts = lines.map(amount);
  const totalAmount = amounts.every((a) => a !== null)
    ? amounts.reduce<string>((sum, a) => addDecimal(sum, a ?? "0"), "0")
    : null;
  const totalBase = lines.reduce((sum, line) => addDecimal(sum, line.base_quantity), "0");
  const baseUnits = new Set(lines.map((line) => line.base_unit_name));
  const who = (user: string | null | undefined, at: string | null | undefined) =>
    user ? `${user}${at ? ` · ${wallTimeIn(zone, at).slice(0, 16)}` : ""}` : "";
  if (editing && doc.status === "draft") {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <StockDocForm
          key={`${doc.version}-${editing}`}
          config={config}
          doc={doc}
          onDone={() => setEditing(0)}
          onReload={() => {
            void document.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }
  const compactColumns: TableColumnsType<StockDocumentLineRow> = [
    { title: "#", dataIndex: "line_no", width: 36 },
    {
      title: t("doc.sku"),
      key: "line",
      render: (_v, line) => (
        <div data-testid={`line-${line.sku_code}`}>
          <div>{`${line.sku_code} ${line.sku_name}`}</div>
          <BatchCell line={line} />
          {line.location_code && (
            <Typography.Text type="secondary" style={{ display: "block" }}>
              {`${t("lines.location")} ${line.location_code}`}
            </Typography.Text>
          )}
          <Space wrap size={12} style={{ justifyContent: "space-between", width: "100%", marginTop: 4 }}>
            <strong data-testid={`quantity-${line.sku_code}`}>{`${formatQty(line.quantity)} ${line.unit_name}`}</strong>
            {showCost && line.unit_cost && (
              <Typography.Text type="secondary">{`× ${formatMoney(line.unit_cost)}`}</Typography.Text>
            )}
            {showCost && <span data-testid={`amount-${line.sku_code}`}>{formatAmountGrouped(amount(line))}</span>}
          </Space>
        </div>
      ),
    },
  ];
  return (
    <Card
      title={t(`docKind.${kind}.detail`, { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions path={`${config.api}{id}/` as const} id={doc.id} available={withoutRuleApprove(doc.available_actions, doc.approval)} />
          <DraftButtons
            model="stockdocument"
            path={`${config.api}{id}/` as const} id={doc.id}
            status={doc.status}
            listPath={config.path}
            onEdit={() => setEditing(1)}
          />
          <PrintButton url={url} />
          {kind === "stock_in" && <LabelsButton documentType="stock_in" documentId={doc.id} />}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
        <Descriptions.Item label={t("doc.number")}>{doc.number}</Descriptions.Item>
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={doc.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.date")}>{doc.document_date}</Descriptions.Item>
        <Descriptions.Item label={t("doc.warehouse")}>{doc.warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("doc.reason")}>
          <span data-testid="doc-reason">{doc.reason_name ?? ""}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.createdBy")}>
          <span data-testid="doc-created-by">{who(doc.created_by, doc.created_at)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.postedBy")}>
          <span data-testid="doc-posted-by">{who(doc.posted_by, doc.posted_at)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.totalAmount")}>
          <span data-testid="doc-total-amount">{totalAmount === null ? "" : formatAmountGrouped(totalAmount)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")} span={2}>
          <span className="sl-notes">{doc.notes}</span>
        </Descriptions.Item>
      </Descriptions>
      <Table<StockDocumentLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={lines}
        pagination={false}
        scroll={compact ? undefined : { x: 860 }}
        summary={() =>
          compact ? (
            <Table.Summary.Row data-testid="doc-totals">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
                  <Typography.Text strong>{t("doc.total")}</Typography.Text>
                  <span>{baseUnits.size === 1 ? `${formatQty(totalBase)} ${[...baseUnits][0]}` : ""}</span>
                  {showCost && (
                    <Typography.Text strong>{totalAmount === null ? "" : formatAmountGrouped(totalAmount)}</Typography.Text>
                  )}
                </Space>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : (
            <Table.Summary.Row data-testid="doc-totals">
              <Table.Summary.Cell index={0} colSpan={5}>
                <Typography.Text strong>{t("doc.total")}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {baseUnits.size === 1 ? `${formatQty(totalBase)} ${[...baseUnits][0]}` : ""}
              </Table.Summary.Cell>
              {showCost && (
                <>
                  <Table.Summary.Cell index={6} />
                  <Table.Summary.Cell index={7} align="right">
                    <Typography.Text strong>{totalAmount === null ? "" : formatAmountGrouped(totalAmount)}</Typography.Text>
                  </Table.Summary.Cell>
                </>
              )}
            </Table.Summary.Row>
          )
        }
        columns={compact ? compactColumns : withoutCosts<TableColumnsType<StockDocumentLineRow>[number]>([
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("doc.unit"), key: "unit", dataIndex: "unit_name" },
          { title: t("lines.batch"), key: "batch", render: (_v, line) => <BatchCell line={line} /> },
          { title: t("lines.location"), key: "location", dataIndex: "location_code" },
          { title: t("doc.quantity"), dataIndex: "quantity", align: "right", render: formatQty },
          { title: t("doc.unitCost"), dataIndex: "unit_cost", align: "right", render: formatMoney },
          {
            title: t("doc.amount"),
            key: "amount",
            align: "right",
            render: (_v, line) => <span data-testid={`amount-${line.sku_code}`}>{formatAmountGrouped(amount(line))}</span>,
          },
        ], showCost)}
      />
      <ApprovalHistory approval={doc.approval} />
    </Card>
  );
}
