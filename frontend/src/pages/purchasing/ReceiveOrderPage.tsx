// Receiving against a purchase order (采购入库 by scanning), usable on a phone at 375 px: scan a
// barcode (or type/search it) and the matching order line counts up by the scanned unit; per
// line the accepted quantity, what is rejected and why, and for a batch-tracked product its batch
// number and production/expiry dates. Saving posts the receipt (or keeps it as a draft): stock
// comes in at the order's net price and the order's received quantities move on.
import { useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  DatePicker,
  Input,
  InputNumber,
  List,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import type { PurchaseOrderLineRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { hasPermission } from "../../auth/access";
import { LoadFailed } from "../../components/LoadFailed";
import { ScanInput, type ScanResult } from "../../features/scan/ScanInput";
import { lookupBarcode } from "../../features/scan/lookup";
import { formatQty } from "../../lib/format";
import {
  applyScan,
  EMPTY_ENTRY,
  entryIssues,
  entryState,
  openOrderLines,
  receiptLines,
  type ReceiveEntry,
} from "./receiveOrder";
import { RECEIVABLE } from "./PurchaseOrderPages";

const STATE_COLOR = { none: "default", short: "orange", complete: "green", over: "red" } as const;

export function LineCard({
  line,
  entry,
  onChange,
}: {
  line: PurchaseOrderLineRow;
  entry: ReceiveEntry;
  onChange: (patch: Partial<ReceiveEntry>) => void;
}) {
  const { t } = useTranslation();
  const state = entryState(line, entry);
  const issues = entryIssues(line, entry);
  const [rejecting, setRejecting] = useState(entry.rejected !== "");
  const code = line.sku_code;
  const date = (field: "productionDate" | "expiryDate", label: string) => (
    <DatePicker
      placeholder={label}
      value={entry[field] ? dayjs(entry[field]) : null}
      onChange={(value) => onChange({ [field]: value ? value.format("YYYY-MM-DD") : "" })}
      style={{ width: "100%" }}
      inputReadOnly
      data-testid={`recv-${field}-${code}`}
    />
  );
  return (
    <Card size="small" data-testid={`recv-line-${code}`} style={{ width: "100%" }}>
      <Space direction="vertical" style={{ width: "100%" }} size={6}>
        <div>
          <Typography.Text strong>{`${line.sku_code} ${line.sku_name}`}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("purchase.openOfOrdered", {
                open: formatQty(line.open_quantity),
                ordered: formatQty(line.base_quantity),
                unit: line.base_unit_name,
              })}
            </Typography.Text>
          </div>
        </div>
        <Row gutter={8} align="middle">
          <Col flex="auto">
            <InputNumber<string>
              stringMode
              min="0"
              value={entry.accepted || null}
              placeholder={t("purchase.accepted")}
              addonAfter={line.base_unit_name}
              onChange={(value) => onChange({ accepted: value ?? "" })}
              style={{ width: "100%" }}
              data-testid={`recv-accepted-${code}`}
            />
          </Col>
          <Col>
            <Tag color={STATE_COLOR[state]} data-testid={`recv-state-${code}`}>
              {t(`purchase.state_${state}`)}
            </Tag>
          </Col>
        </Row>
        {line.tracking === "batch" && (
          <Row gutter={[8, 8]}>
            <Col xs={24} sm={8}>
              <Input
                placeholder={t("lines.batchNo")}
                value={entry.batchNo}
                maxLength={64}
                onChange={(event) => onChange({ batchNo: event.target.value })}
                data-testid={`recv-batch-${code}`}
              />
            </Col>
            <Col xs={12} sm={8}>
              {date("productionDate", t("lines.productionDate"))}
            </Col>
            <Col xs={12} sm={8}>
              {date("expiryDate", t("lines.expiryDate"))}
            </Col>
          </Row>
        )}
        {rejecting ? (
          <Row gutter={8}>
            <Col span={9}>
              <InputNumber<string>
                stringMode
                min="0"
                value={entry.rejected || null}
                placeholder={t("purchase.rejected")}
                onChange={(value) => onChange({ rejected: value ?? "" })}
                style={{ width: "100%" }}
                data-testid={`recv-rejected-${code}`}
              />
            </Col>
            <Col span={15}>
              <Input
                placeholder={t("purchase.rejectReason")}
                value={entry.reason}
                maxLength={200}
                onChange={(event) => onChange({ reason: event.target.value })}
                data-testid={`recv-reason-${code}`}
              />
            </Col>
          </Row>
        ) : (
          <Button size="small" type="link" style={{ padding: 0 }} onClick={() => setRejecting(true)} data-testid={`recv-reject-${code}`}>
            {t("purchase.addRejected")}
          </Button>
        )}
        {issues.map((issue) => (
          <Typography.Text key={issue} type="danger" style={{ fontSize: 12 }}>
            {t(issue)}
          </Typography.Text>
        ))}
      </Space>
    </Card>
  );
}

export function ReceiveOrderPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const url = `/api/v1/purchase-orders/${id}/`;
  const order = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/purchase-orders/{id}/", { params: { path: { id: Number(id) } } })) });
  const [entries, setEntries] = useState<Record<number, ReceiveEntry>>({});
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const [reference, setReference] = useState("");
  const lines = openOrderLines(order.data?.lines ?? []);
  const edit = (lineId: number, patch: Partial<ReceiveEntry>) =>
    setEntries((current) => {
      const next = { ...current, [lineId]: { ...(current[lineId] ?? EMPTY_ENTRY), ...patch } };
      entriesRef.current = next;
      return next;
    });

  const onScan = async (barcode: string): Promise<ScanResult> => {
    const hit = await lookupBarcode(barcode, { includeInactive: true });
    if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
    // scans come one after the other: each applies to what the previous one left
    const result = applyScan(lines, entriesRef.current, hit.skuId, hit.factor);
    if (!result.ok) return { ok: false, text: t("purchase.notOnOrder", { name: `${hit.skuCode} ${hit.skuName}` }) };
    entriesRef.current = result.entries;
    setEntries(result.entries);
    return { ok: true, text: t("purchase.scanned", { name: hit.skuName, quantity: formatQty(result.accepted) }) };
  };

  const body = receiptLines(lines, entries);
  const issues = lines.flatMap((line) => entryIssues(line, entries[line.id]));
  const mayPost = hasPermission(me, "purchasing.post_purchasereceipt");
  const save = useMutation({
    mutationFn: (post: boolean) =>
      ok(client.POST("/api/v1/purchase-receipts/", { body: { order: Number(id), reference, lines: body, post }, headers: idempotent() })),
    onSuccess: async (receipt, post) => {
      await queryClient.invalidateQueries();
      message.success(post ? t("doc.posted") : t("doc.saved"));
      navigate(post ? `/purchasing/orders/${id}` : `/purchasing/receipts/${receipt.id}`, { replace: true });
    },
    onError: (error) => showError(error, t, message),
  });

  if (order.isError) return <LoadFailed error={order.error} />;
  if (order.isLoading || !order.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = order.data;
  if (!RECEIVABLE.includes(doc.status)) {
    return <Alert type="warning" showIcon message={t("purchase.notReceivable", { number: doc.number })} />;
  }
  const blocked = body.length === 0 || issues.length > 0;
  return (
    <Card
      title={t("purchase.receiveTitle", { number: doc.number })}
      styles={{ body: { padding: 12 } }}
      data-testid="receive-order"
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{`${doc.supplier_name} → ${doc.warehouse_name}`}</Typography.Text>
        <Input
          placeholder={t("purchase.deliveryNote")}
          value={reference}
          maxLength={100}
          onChange={(event) => setReference(event.target.value)}
          data-testid="recv-reference"
        />
        <ScanInput onScan={onScan} searchable />
        <List
          dataSource={lines}
          split={false}
          renderItem={(line) => (
            <List.Item style={{ padding: "4px 0" }}>
              <LineCard line={line} entry={entries[line.id] ?? EMPTY_ENTRY} onChange={(patch) => edit(line.id, patch)} />
            </List.Item>
          )}
        />
        <Space wrap>
          {mayPost && (
            <Button type="primary" disabled={blocked} loading={save.isPending} onClick={() => save.mutate(true)} data-testid="recv-post">
              {t("doc.saveAndPost")}
            </Button>
          )}
          <Button disabled={blocked} loading={save.isPending} onClick={() => save.mutate(false)} data-testid="recv-draft">
            {t("doc.saveDraft")}
          </Button>
          <Typography.Text type="secondary" data-testid="recv-count">
            {t("purchase.linesReceived", { count: body.length, lines: lines.length })}
          </Typography.Text>
        </Space>
      </Space>
    </Card>
  );
}
