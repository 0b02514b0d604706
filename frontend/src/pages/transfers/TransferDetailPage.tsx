import { useState } from "react";
import { useParams } from "react-router";
import {
  App as AntApp,
  Card,
  Checkbox,
  Descriptions,
  Grid,
  InputNumber,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import type { TransferLineRow, TransferRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { PrintButton } from "../../features/printing/PrintButton";
import { newIdempotencyKey } from "../../lib/ids";
import { formatQty } from "../../lib/format";
import { LoadFailed } from "../../components/LoadFailed";
import { DraftButtons } from "../../features/drafts/DraftButtons";
import { TransferForm } from "./TransferForm";
import { BatchCell } from "../../features/drafts/BatchCell";
import { useLocations } from "../../features/drafts/lineQueries";
import { hasBins, initialEntries, openLines, receiveBody, type ReceiveEntry } from "./receive";

function ReceiveModal({
  transfer,
  url,
  onClose,
}: {
  transfer: TransferRow;
  url: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const open = openLines(transfer.lines);
  const [entries, setEntries] = useState(() => initialEntries(open));
  const edit = (lineId: number, patch: Partial<ReceiveEntry>) =>
    setEntries((current) => ({ ...current, [lineId]: { ...current[lineId]!, ...patch } }));
  const locations = useLocations(transfer.to_warehouse);
  const locationOptions = (locations.data ?? []).map((l) => ({
    value: l.id,
    label: l.name ? `${l.code} ${l.name}` : l.code,
  }));
  const [close, setClose] = useState(true);
  const isMobile = Grid.useBreakpoint().md === false; // one column for the quantity and the bin
  const quantityInput = (line: TransferLineRow) => (
    <InputNumber<string>
      stringMode
      min="0"
      value={entries[line.id]?.quantity}
      data-testid={`receive-${line.sku_code}`}
      onChange={(value) => edit(line.id, { quantity: value ?? "" })}
      style={{ width: "100%" }}
    />
  );
  const locationSelect = (line: TransferLineRow) => (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      value={entries[line.id]?.location ?? undefined}
      placeholder={t("lines.noLocation")}
      options={locationOptions}
      loading={locations.isLoading}
      data-testid={`receive-location-${line.sku_code}`}
      onChange={(value: number | undefined) => edit(line.id, { location: value ?? null })}
      style={{ width: "100%" }}
    />
  );
  const receive = useMutation({
    mutationFn: () =>
      request<TransferRow>("POST", `${url}receive/`, {
        body: receiveBody(open, entries, close),
        idempotencyKey: newIdempotencyKey(),
      }),
    onSuccess: async () => {
      message.success(t("doc.done_receive"));
      await queryClient.invalidateQueries();
      onClose();
    },
    onError: (error) => showError(error, t, message),
  });
  return (
    <Modal
      open
      title={t("transfer.receiveTitle")}
      onCancel={onClose}
      onOk={() => receive.mutate()}
      okText={t("doc.receive")}
      cancelText={t("common.cancel")}
      confirmLoading={receive.isPending}
      okButtonProps={{ "data-testid": "receive-confirm" } as Record<string, string>}
      width={640}
    >
      <Table<TransferLineRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={open}
        columns={
          isMobile
            ? [
                {
                  title: t("doc.sku"),
                  key: "sku",
                  render: (_v, line) => (
                    <>
                      <div>{`${line.sku_code} ${line.sku_name}`}</div>
                      <Typography.Text type="secondary">
                        {`${t("transfer.inTransit")} ${formatQty(line.in_transit_quantity)}`}
                      </Typography.Text>
                    </>
                  ),
                },
                {
                  title: `${t("transfer.receiveQuantity")} / ${t("transfer.toLocation")}`,
                  key: "receive",
                  width: 150,
                  render: (_v, line) => (
                    <Space direction="vertical" style={{ width: "100%" }}>
                      {quantityInput(line)}
                      {locationSelect(line)}
                    </Space>
                  ),
                },
              ]
            : [
                { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
                {
                  title: t("transfer.inTransit"),
                  dataIndex: "in_transit_quantity",
                  align: "right",
                  width: 70,
                  render: formatQty,
                },
                { title: t("transfer.receiveQuantity"), key: "quantity", width: 140, render: (_v, line) => quantityInput(line) },
                { title: t("transfer.toLocation"), key: "location", width: 170, render: (_v, line) => locationSelect(line) },
              ]
        }
      />
      <Checkbox checked={close} onChange={(event) => setClose(event.target.checked)} style={{ marginTop: 12 }}>
        {t("transfer.close")}
      </Checkbox>
    </Modal>
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
  const transfer = useQuery({ queryKey: [url], queryFn: () => request<TransferRow>("GET", url) });
  if (transfer.isError) return <LoadFailed error={transfer.error} />;
  if (transfer.isLoading || !transfer.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = transfer.data;
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
  return (
    <Card
      title={t("transfer.detail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions
            url={url}
            available={doc.available_actions}
            custom={{ receive: () => setReceiving(true) }}
          />
          <DraftButtons
            model="transfer"
            url={url}
            status={doc.status}
            listPath="/inventory/transfers"
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
        <Descriptions.Item label={t("transfer.fromWarehouse")}>{doc.from_warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("transfer.toWarehouse")}>{doc.to_warehouse_name}</Descriptions.Item>
        <Descriptions.Item label={t("doc.notes")}>{doc.notes}</Descriptions.Item>
      </Descriptions>
      <Table<TransferLineRow>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        dataSource={doc.lines}
        pagination={false}
        scroll={{ x: 860 }}
        columns={[
          { title: "#", dataIndex: "line_no", width: 48 },
          { title: t("doc.sku"), key: "sku", render: (_v, line) => `${line.sku_code} ${line.sku_name}` },
          { title: t("doc.unit"), dataIndex: "unit_name", width: 70 },
          { title: t("lines.batch"), key: "batch", render: (_v, line) => <BatchCell line={line} /> },
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
      {receiving && <ReceiveModal transfer={doc} url={url} onClose={() => setReceiving(false)} />}
    </Card>
  );
}
