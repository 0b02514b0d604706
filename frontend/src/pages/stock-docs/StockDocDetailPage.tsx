import { useState } from "react";
import { useParams } from "react-router";
import { Card, Descriptions, Space, Spin, Table } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import type { StockDocumentLineRow, StockDocumentRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { PrintButton } from "../../features/printing/PrintButton";
import { LabelsButton } from "../../features/printing/LabelsButton";
import { kindConfig, type StockKind } from "./kinds";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { StockDocForm } from "./StockDocForm";
import { BatchCell } from "../../features/drafts/BatchCell";
import { formatMoney, formatQty } from "../../lib/format";
import { LoadFailed } from "../../components/LoadFailed";

export function StockDocDetailPage({ kind }: { kind: StockKind }) {
  const config = kindConfig(kind);
  const { id } = useParams();
  const { t } = useTranslation();
  const url = `${config.api}${id}/`;
  const document = useQuery({ queryKey: [url], queryFn: () => request<StockDocumentRow>("GET", url) });
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the editor)
  if (document.isError) return <LoadFailed error={document.error} />;
  if (document.isLoading || !document.data) {
    return <Spin style={{ display: "block", margin: 48 }} />;
  }
  const doc = document.data;
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
  return (
    <Card
      title={t(`docKind.${kind}.detail`, { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions
            type="stockdocument"
            url={url}
            status={doc.status}
            reversalOf={doc.reversal_of}
          />
          <DraftButtons
            model="stockdocument"
            url={url}
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
        <Descriptions.Item label={t("doc.notes")} span={2}>
          {doc.notes}
        </Descriptions.Item>
      </Descriptions>
      <Table<StockDocumentLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("doc.unit"), key: "unit", dataIndex: "unit_name" },
          { title: t("lines.batch"), key: "batch", render: (_v, line) => <BatchCell line={line} /> },
          { title: t("lines.location"), key: "location", dataIndex: "location_code" },
          { title: t("doc.quantity"), dataIndex: "quantity", align: "right", render: formatQty },
          { title: t("doc.unitCost"), dataIndex: "unit_cost", align: "right", render: formatMoney },
        ]}
      />
    </Card>
  );
}
