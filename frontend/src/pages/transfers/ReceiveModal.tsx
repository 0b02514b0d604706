// Receiving a shipped transfer: the keeper counts what arrived by scanning (or typing) against
// what is in transit. Nothing is prefilled; each line shows the batches shipped, and every line
// that differs (short, over, not counted) is marked before the receipt is confirmed.
import { useRef, useState } from "react";
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Grid,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { InTransitLineRow, TransferLineRow, TransferRow } from "../../api/contract";
import { normalizeDecimal } from "../../lib/decimal";
import { useLocations } from "../../features/drafts/lineQueries";
import { ScanInput, type ScanResult } from "../../features/scan/ScanInput";
import { lookupBarcode } from "../../features/scan/lookup";
import {
  applyReceiveScan,
  fillAll,
  initialEntries,
  lineQuantity,
  lineState,
  openLines,
  receiveBody,
  summarize,
  type ReceiveEntry,
} from "./receive";

/** The batches of a line still in transit: "批号 B1 · 到期 2027-01-05 · 24". */
function TransitBatches({ info, line }: { info: InTransitLineRow | undefined; line: TransferLineRow }) {
  const { t } = useTranslation();
  const batches = (info?.batches ?? []).filter((b) => b.batch_no);
  if (batches.length === 0) return null;
  return (
    <div data-testid={`receive-batches-${line.sku_code}`}>
      {batches.map((b) => (
        <Typography.Text key={b.batch ?? b.batch_no} type="secondary" style={{ display: "block", fontSize: 12 }}>
          {t("countBatch.batch", { batch: b.batch_no })}
          {b.expiry_date ? ` · ${t("lines.expires", { date: b.expiry_date })}` : ""}
          {` · ${lineQuantity(b.quantity, line)}`}
        </Typography.Text>
      ))}
    </div>
  );
}

function DifferenceTag({ line, entry }: { line: TransferLineRow; entry: ReceiveEntry | undefined }) {
  const { t } = useTranslation();
  const { state, difference } = lineState(line, entry);
  const testId = `receive-diff-${line.sku_code}`;
  if (state === "uncounted") return <Tag data-testid={testId}>{t("receive.uncounted")}</Tag>;
  if (state === "match")
    return (
      <Tag color="green" data-testid={testId}>
        {t("receive.match")}
      </Tag>
    );
  return (
    <Tag color={state === "short" ? "red" : "orange"} data-testid={testId}>
      {t(state === "short" ? "receive.short" : "receive.over", {
        quantity: normalizeDecimal(difference).replace(/^-/, ""),
      })}
    </Tag>
  );
}

export function ReceiveModal({
  transfer,
  onClose,
}: {
  transfer: TransferRow;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const queryClient = useQueryClient();
  const open = openLines(transfer.lines);
  const info = new Map(transfer.in_transit.map((row) => [row.line, row]));
  const [entries, setEntries] = useState(() => initialEntries(open));
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const edit = (lineId: number, patch: Partial<ReceiveEntry>) =>
    setEntries((current) => ({ ...current, [lineId]: { ...current[lineId]!, ...patch } }));
  const locations = useLocations(transfer.to_warehouse);
  const locationOptions = (locations.data ?? []).map((l) => ({
    value: l.id,
    label: l.name ? `${l.code} ${l.name}` : l.code,
  }));
  const [close, setClose] = useState(true);
  const isMobile = Grid.useBreakpoint().md === false; // one column for the quantity and the bin
  const summary = summarize(open, entries);
  const differing = summary.short + summary.uncounted;

  const onScan = async (barcode: string): Promise<ScanResult> => {
    const hit = await lookupBarcode(barcode, { includeInactive: true });
    if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
    // scans come one after the other: each applies to what the previous one left
    const result = applyReceiveScan(open, entriesRef.current, hit.skuId, hit.factor);
    if (result.ok) {
      entriesRef.current = result.entries;
      setEntries(result.entries);
    }
    if (!result.ok) return { ok: false, text: t("receive.notOnTransfer", { name: `${hit.skuCode} ${hit.skuName}` }) };
    return {
      ok: true,
      text: t("receive.scanned", { name: hit.skuName, quantity: lineQuantity(result.quantity, result.line) }),
    };
  };

  const receive = useMutation({
    mutationFn: () =>
      ok(
        client.POST("/api/v1/transfers/{id}/receive/", {
          params: { path: { id: transfer.id } },
          body: receiveBody(open, entries, close),
          headers: idempotent(),
        }),
      ),
    onSuccess: async () => {
      message.success(t("doc.done_receive"));
      await queryClient.invalidateQueries();
      onClose();
    },
    onError: (error) => showError(error, t, message),
  });

  const confirm = () => {
    if (summary.over > 0) {
      message.error(t("receive.overBlocked"));
      return;
    }
    if (differing === 0) {
      receive.mutate();
      return;
    }
    modal.confirm({
      title: t("receive.confirmTitle"),
      content: close
        ? t("receive.confirmClose", { count: differing })
        : t("receive.confirmOpen", { count: differing }),
      okText: t("doc.receive"),
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "receive-confirm-differences" } as Record<string, string>,
      onOk: () => receive.mutate(),
    });
  };

  const quantityInput = (line: TransferLineRow) => (
    <InputNumber<string>
      stringMode
      min="0"
      value={entries[line.id]?.quantity || null}
      placeholder={t("receive.uncounted")}
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
  const skuCell = (line: TransferLineRow) => (
    <>
      <div>{`${line.sku_code} ${line.sku_name}`}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {`${t("transfer.inTransit")} ${lineQuantity(line.in_transit_quantity, line)}`}
      </Typography.Text>
      <TransitBatches info={info.get(line.id)} line={line} />
    </>
  );

  return (
    <Modal
      open
      title={t("transfer.receiveTitle")}
      onCancel={onClose}
      onOk={confirm}
      okText={t("doc.receive")}
      cancelText={t("common.cancel")}
      confirmLoading={receive.isPending}
      okButtonProps={{ "data-testid": "receive-confirm" } as Record<string, string>}
      width={isMobile ? undefined : 860}
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <ScanInput onScan={onScan} />
        <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
          <Typography.Text data-testid="receive-progress">
            {t("receive.progress", { counted: open.length - summary.uncounted, lines: open.length })}
          </Typography.Text>
          <Button size="small" data-testid="receive-fill-all" onClick={() => setEntries((current) => fillAll(open, current))}>
            {t("receive.fillAll")}
          </Button>
        </Space>
      </Space>
      <Table<TransferLineRow>
        style={{ marginTop: 8 }}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={open}
        scroll={{ y: 420 }}
        rowClassName={(line) => {
          const state = lineState(line, entries[line.id]).state;
          return state === "short" || state === "over" ? "sl-line-error" : "";
        }}
        columns={
          isMobile
            ? [
                { title: t("doc.sku"), key: "sku", render: (_v, line) => skuCell(line) },
                {
                  title: `${t("receive.quantity")} / ${t("transfer.toLocation")}`,
                  key: "receive",
                  width: 150,
                  render: (_v, line) => (
                    <Space direction="vertical" style={{ width: "100%" }}>
                      {quantityInput(line)}
                      <DifferenceTag line={line} entry={entries[line.id]} />
                      {locationSelect(line)}
                    </Space>
                  ),
                },
              ]
            : [
                { title: t("doc.sku"), key: "sku", render: (_v, line) => skuCell(line) },
                { title: t("receive.quantity"), key: "quantity", width: 130, render: (_v, line) => quantityInput(line) },
                {
                  title: t("transfer.discrepancy"),
                  key: "difference",
                  width: 110,
                  render: (_v, line) => <DifferenceTag line={line} entry={entries[line.id]} />,
                },
                { title: t("transfer.toLocation"), key: "location", width: 170, render: (_v, line) => locationSelect(line) },
              ]
        }
      />
      {(summary.short > 0 || summary.over > 0 || summary.uncounted > 0) && (
        <Alert
          style={{ marginTop: 12 }}
          type={summary.over > 0 ? "error" : "warning"}
          showIcon
          data-testid="receive-summary"
          message={t("receive.summary", { short: summary.short, over: summary.over, uncounted: summary.uncounted })}
          description={summary.over > 0 ? t("receive.overBlocked") : close ? t("receive.closeHint") : t("receive.openHint")}
        />
      )}
      <Checkbox checked={close} onChange={(event) => setClose(event.target.checked)} style={{ marginTop: 12 }}>
        {t("transfer.close")}
      </Checkbox>
    </Modal>
  );
}
