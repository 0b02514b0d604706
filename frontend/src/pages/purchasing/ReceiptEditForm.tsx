// Editing a draft purchase receipt: against an order, the order's lines with what this draft
// accepts and rejects (quantities, reasons, batches and dates, as when receiving); without an
// order, its lines as entered — SKUs added by scan or search or removed, unit, accepted
// quantity, net price, batch and dates, rejected quantity and reason (users who see costs); the
// delivery note; and, for users who see costs, the landed cost charges with the preview of
// their allocation. Saved with the version read (a stale one is refused), optionally posted.
import { useEffect, useRef, useState } from "react";
import { App as AntApp, Button, Divider, Input, List, Space, Spin, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { AllocationBasis, PurchaseOrderLineRow, PurchaseReceiptPatch, PurchaseReceiptRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { hasPermission } from "../../auth/access";
import { LoadFailed } from "../../components/LoadFailed";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { isStaleVersion, lineErrors } from "../../features/drafts/draftLines";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import { RECEIPT_LINE_OPTIONS, receiptLinesBody, receiptScanLines } from "./receiptLines";
import { compareDecimal, multiplyDecimal, normalizeDecimal } from "../../lib/decimal";
import { LineCard } from "./ReceiveOrderPage";
import { ReceiptChargesSection, type PreviewTarget } from "./ReceiptChargesSection";
import { chargeBody, chargeEntries, chargeIssues, type ChargeEntry } from "./receiptCharges";
import { EMPTY_ENTRY, entryIssues, receiptLines, type ReceiveEntry } from "./receiveOrder";

/** The editor's entries of the draft's lines, by order line (quantities in the base unit). */
function draftEntries(doc: PurchaseReceiptRow): Record<number, ReceiveEntry> {
  const entries: Record<number, ReceiveEntry> = {};
  for (const line of doc.lines) {
    if (line.order_line === null) continue;
    const rejected = multiplyDecimal(line.rejected_quantity, line.factor);
    entries[line.order_line] = {
      accepted: compareDecimal(line.base_quantity, "0") === 0 ? "" : normalizeDecimal(line.base_quantity),
      rejected: compareDecimal(rejected, "0") === 0 ? "" : normalizeDecimal(rejected),
      reason: line.reject_reason,
      batchNo: line.batch_no,
      productionDate: line.production_date ?? "",
      expiryDate: line.expiry_date ?? "",
    };
  }
  return entries;
}

export function ReceiptEditForm({
  doc,
  onDone,
  onReload,
}: {
  doc: PurchaseReceiptRow;
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { me, can } = useAuth();
  const queryClient = useQueryClient();
  const showCost = can("costs");
  const orderUrl = `/api/v1/purchase-orders/${doc.order}/`;
  const order = useQuery({
    queryKey: [orderUrl],
    queryFn: () => ok(client.GET("/api/v1/purchase-orders/{id}/", { params: { path: { id: given(doc.order) } } })),
    enabled: doc.order !== null,
  });
  const [entries, setEntries] = useState<Record<number, ReceiveEntry>>(() => draftEntries(doc));
  const [reference, setReference] = useState(doc.reference);
  const [charges, setCharges] = useState<ChargeEntry[]>(() => chargeEntries(doc.charges));
  const [basis, setBasis] = useState<AllocationBasis>(doc.allocation_basis);
  const [chargesTouched, setChargesTouched] = useState(false);
  const [stale, setStale] = useState(false);
  const saved = useRef(false);
  // without an order: the lines as entered (scan or search, quantities, prices, batches,
  // rejects), for users who see costs — the prices are theirs to keep or change
  const freeLines = doc.order === null && showCost;
  const scan = useScanLines(RECEIPT_LINE_OPTIONS);
  const { setLines, setErrors } = scan;
  useEffect(() => {
    if (freeLines) setLines(receiptScanLines(doc.lines));
  }, [freeLines, doc.lines, setLines]);

  const inDraft = new Set(doc.lines.map((line) => line.order_line));
  const lines: PurchaseOrderLineRow[] = (order.data?.lines ?? []).filter(
    (line) => inDraft.has(line.id) || compareDecimal(line.open_quantity, "0") > 0,
  );
  const body = doc.order !== null ? receiptLines(lines, entries) : freeLines ? receiptLinesBody(scan.lines) : null;
  const issues = [
    ...lines.flatMap((line) => entryIssues(line, entries[line.id])),
    ...charges.flatMap(chargeIssues),
    ...(freeLines && !scan.valid ? ["lines"] : []),
  ];
  const save = useMutation({
    mutationFn: async (post: boolean) => {
      const patch: PurchaseReceiptPatch = { version: doc.version, reference };
      if (body !== null) patch.lines = body;
      if (showCost && (chargesTouched || basis !== doc.allocation_basis)) {
        patch.charges = chargeBody(charges);
        patch.allocation_basis = basis;
      }
      const path = { id: doc.id };
      await ok(client.PATCH("/api/v1/purchase-receipts/{id}/", { params: { path }, body: patch, headers: idempotent() }));
      saved.current = true; // a refused posting leaves the edits saved: the editor reloads them
      if (post) await ok(client.POST("/api/v1/purchase-receipts/{id}/post/", { params: { path }, headers: idempotent() }));
    },
    onSuccess: async (_data, post) => {
      await queryClient.invalidateQueries();
      message.success(post ? t("doc.posted") : t("doc.saved"));
      onDone();
    },
    onError: (error) => {
      if (isStaleVersion(error)) setStale(true);
      else showError(error, t, message);
      if (freeLines && error instanceof ApiError) setErrors(lineErrors(error.fields, scan.lines));
      if (saved.current) onReload();
    },
  });

  if (order.isError) return <LoadFailed error={order.error} />;
  if (doc.order !== null && (order.isLoading || !order.data)) return <Spin style={{ display: "block", margin: 48 }} />;

  const skuLabel = (skuId: number) => {
    const line = doc.lines.find((l) => l.sku === skuId) ?? lines.find((l) => l.sku === skuId);
    return line ? `${line.sku_code} ${line.sku_name}` : String(skuId);
  };
  const target: PreviewTarget =
    doc.order !== null
      ? { order: doc.order, lines: body ?? [] }
      : {
          supplier: doc.supplier,
          warehouse: doc.warehouse,
          lines: freeLines ? (body ?? []) : doc.lines.map((line) => ({
            sku: line.sku,
            unit: line.unit,
            quantity: line.quantity,
            rejected_quantity: line.rejected_quantity,
            reject_reason: line.reject_reason,
            batch_no: line.batch_no,
            price: line.unit_cost === null ? null : multiplyDecimal(line.unit_cost, line.factor),
          })),
        };
  const mayPost = hasPermission(me, "purchasing.post_purchasereceipt");
  const blocked = (body !== null && body.length === 0) || issues.length > 0;
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="receipt-edit">
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Typography.Text type="secondary">{`${doc.supplier_name} → ${doc.warehouse_name}`}</Typography.Text>
      <Input
        placeholder={t("purchase.deliveryNote")}
        value={reference}
        maxLength={100}
        onChange={(event) => setReference(event.target.value)}
        data-testid="recv-reference"
      />
      {doc.order !== null ? (
        <List
          dataSource={lines}
          split={false}
          renderItem={(line) => (
            <List.Item style={{ padding: "4px 0" }}>
              <LineCard
                line={line}
                entry={entries[line.id] ?? EMPTY_ENTRY}
                onChange={(patch) =>
                  setEntries((current) => ({ ...current, [line.id]: { ...(current[line.id] ?? EMPTY_ENTRY), ...patch } }))
                }
              />
            </List.Item>
          )}
        />
      ) : freeLines ? (
        <div data-testid="receipt-lines-editor">
          <ScanLinesEditor scan={scan} warehouseId={doc.warehouse} />
        </div>
      ) : (
        <Typography.Text type="secondary">{t("receiptLines.costsOnly")}</Typography.Text>
      )}
      {showCost && (
        <>
          <Divider style={{ margin: "8px 0" }} />
          <ReceiptChargesSection
            charges={charges}
            basis={basis}
            onCharges={(next) => {
              setCharges(next);
              setChargesTouched(true);
            }}
            onBasis={setBasis}
            target={target}
            skuLabel={skuLabel}
          />
        </>
      )}
      <Space wrap>
        {mayPost && (
          <Button type="primary" disabled={blocked} loading={save.isPending} onClick={() => save.mutate(true)} data-testid="receipt-save-post">
            {t("doc.saveAndPost")}
          </Button>
        )}
        <Button disabled={blocked} loading={save.isPending} onClick={() => save.mutate(false)} data-testid="receipt-save">
          {t("common.save")}
        </Button>
        <Button onClick={onDone}>{t("common.cancel")}</Button>
      </Space>
    </Space>
  );
}
