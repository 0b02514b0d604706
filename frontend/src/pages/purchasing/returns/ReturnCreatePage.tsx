// New purchase return: from a receipt, or by batch to a supplier from a warehouse
// (BatchReturnForm). Return from a receipt 按入库单退货: pick a posted receipt, see per line what came in, what went
// back and what may still go back; enter the quantities (base unit) and a reason; save a draft or
// save and post. The server refuses more than is left (409 over_return on the line).
// The same form edits a saved draft (`doc`): its receipt stays, its quantities and reason are
// filled in, and saving sends them with the draft's version (409 stale_version → reload).
import { useState } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Form, Input, InputNumber, Segmented, Select, Space, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, given, idempotent, ok } from "../../../api/http";
import { ApiError } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseReturnRow, ReturnableRow } from "../../../api/contract";
import { isStaleVersion, quantityValues } from "../../../features/drafts/draftLines";
import { addDecimal, normalizeDecimal } from "../../../lib/decimal";
import { StaleVersionAlert } from "../../../features/drafts/StaleVersionAlert";
import { useAuth } from "../../../auth/auth";
import { hasPermission } from "../../../auth/access";
import { formatMoney, formatQty } from "../../../lib/format";
import { RETURNS_API, RETURNS_PATH } from "./ReturnListPage";
import { BatchReturnForm } from "./BatchReturnForm";
import { positive, returnQuantityIssue } from "./batchReturn";

export function ReturnCreatePage() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"receipt" | "batch">("receipt");
  return (
    <Card title={t(mode === "receipt" ? "purchaseReturn.create" : "batchReturn.create")}>
      <Segmented<"receipt" | "batch">
        style={{ marginBottom: 16 }}
        value={mode}
        onChange={setMode}
        options={[
          { value: "receipt", label: t("batchReturn.modeReceipt") },
          { value: "batch", label: t("batchReturn.modeBatch") },
        ]}
        data-testid="return-mode"
      />
      {mode === "receipt" ? <ReturnForm /> : <BatchReturnForm />}
    </Card>
  );
}

/** The base quantities of a draft's lines by receipt line (what the form edits). */
export function draftQuantities(doc?: PurchaseReturnRow): Record<number, string | null> {
  const out: Record<number, string | null> = {};
  for (const line of doc?.lines ?? []) {
    if (line.receipt_line) {
      out[line.receipt_line] = normalizeDecimal(addDecimal(out[line.receipt_line] ?? "0", line.base_quantity));
    }
  }
  return out;
}

export function ReturnForm({
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  doc?: PurchaseReturnRow; // a saved draft to edit
  onDone?: () => void; // saved or cancelled (editing)
  onReload?: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [receipt, setReceipt] = useState<number | undefined>(doc?.receipt ?? undefined);
  const [quantities, setQuantities] = useState<Record<number, string | null>>(() => draftQuantities(doc));
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const [reason, setReason] = useState(doc?.reason ?? "");
  const [stale, setStale] = useState(false);
  const receipts = useQuery({
    queryKey: ["/api/v1/purchase-receipts/", "posted", search],
    queryFn: () =>
      ok(client.GET("/api/v1/purchase-receipts/", { params: { query: { status: ["posted"], search, page_size: 20 } } })),
    enabled: !doc,
  });
  const returnable = useQuery({
    queryKey: [`${RETURNS_API}returnable/`, receipt],
    queryFn: () =>
      ok(client.GET("/api/v1/purchase-returns/returnable/", { params: { query: { receipt: given(receipt) } } })),
    enabled: receipt !== undefined,
  });
  const rows = returnable.data ?? [];
  const chosen = rows.filter((row) => positive(quantities[row.receipt_line]));
  // a line left at zero does not go back; one finer than its base unit: said as typed, not saved
  const quantityIssueOf = (row: ReturnableRow) =>
    returnQuantityIssue(quantities[row.receipt_line], row.base_unit_precision, true);
  const blocked = rows.some((row) => quantityIssueOf(row) !== null);
  const save = useMutation({
    mutationFn: (post: boolean) => {
      const lines = chosen.map((row) => ({
        receipt_line: row.receipt_line,
        unit: row.base_unit,
        quantity: quantities[row.receipt_line] as string, // chosen: a positive quantity
      }));
      if (doc) {
        return ok(
          client.PUT("/api/v1/purchase-returns/{id}/", {
            params: { path: { id: doc.id } },
            body: { version: doc.version, reason, lines },
          }),
        );
      }
      return ok(
        client.POST("/api/v1/purchase-returns/", {
          headers: idempotent(),
          body: { receipt: given(receipt), reason, post, lines },
        }),
      );
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries();
      if (doc) {
        message.success(t("draft.saved"));
        onDone();
        return;
      }
      message.success(t(saved.status === "posted" ? "doc.posted" : "doc.saved"));
      navigate(`${RETURNS_PATH}/${saved.id}`);
    },
    onError: (error) => {
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      // a line's error ("lines.<n>.quantity") goes next to that line
      if (error instanceof ApiError) {
        const next: Record<number, string> = {};
        for (const [key, messages] of Object.entries(error.fields)) {
          const match = /^lines\.(\d+)\./.exec(key);
          if (match) next[chosen[Number(match[1])]?.receipt_line ?? -1] = messages.join(" ");
        }
        setLineErrors(next);
      }
      showError(error, t, message);
    },
  });
  const mayPost = !doc && hasPermission(me, "purchasing.post_purchasereturn");
  return (
    <div data-testid={doc ? "draft-editor" : undefined}>
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Form layout="vertical">
        <Form.Item label={t("purchaseReturn.chooseReceipt")} required>
          {doc ? (
            <Typography.Text data-testid="return-receipt-fixed">{doc.receipt_number}</Typography.Text>
          ) : (
          <Select<number>
            showSearch
            filterOption={false}
            style={{ maxWidth: 520 }}
            placeholder={t("purchaseReturn.receiptPlaceholder")}
            value={receipt}
            onSearch={setSearch}
            onChange={(value) => {
              setReceipt(value);
              setQuantities({});
              setLineErrors({});
            }}
            loading={receipts.isFetching}
            data-testid="return-receipt"
            options={(receipts.data?.results ?? []).map((r) => ({
              value: r.id,
              label: `${r.number} · ${r.supplier_name} · ${r.warehouse_name}`,
            }))}
          />
          )}
        </Form.Item>
        <Form.Item label={t("purchaseReturn.reason")}>
          <Input
            style={{ maxWidth: 520 }}
            value={reason}
            maxLength={200}
            onChange={(event) => setReason(event.target.value)}
            data-testid="return-reason"
          />
        </Form.Item>
      </Form>
      {receipt !== undefined && (
        <Table<ReturnableRow>
          rowKey="receipt_line"
          size="small"
          loading={returnable.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 860 }}
          columns={[
            { title: t("doc.sku"), key: "sku", render: (_v, row) => `${row.sku_code} ${row.sku_name}` },
            { title: t("lines.batch"), dataIndex: "batch_no" },
            {
              title: t("purchaseReturn.received"),
              key: "received",
              align: "right",
              render: (_v, row) => `${formatQty(row.received)} ${row.base_unit_name}`,
            },
            { title: t("purchaseReturn.returned"), dataIndex: "returned", align: "right", render: formatQty },
            {
              title: t("purchaseReturn.returnable"),
              dataIndex: "returnable",
              align: "right",
              render: formatQty,
            },
            { title: t("purchaseReturn.unitCost"), dataIndex: "unit_cost", align: "right", render: formatMoney },
            {
              title: t("purchaseReturn.returnQuantity"),
              key: "quantity",
              width: 200,
              render: (_v, row) => {
                const issue = quantityIssueOf(row);
                return (
                  <Space direction="vertical" size={0}>
                    <InputNumber<string>
                      stringMode
                      min="0"
                      max={row.returnable}
                      value={quantities[row.receipt_line] ?? null}
                      disabled={Number(row.returnable) <= 0}
                      status={issue || lineErrors[row.receipt_line] ? "error" : undefined}
                      aria-invalid={issue ? true : undefined}
                      onChange={(value) => setQuantities((q) => ({ ...q, [row.receipt_line]: value }))}
                      data-testid={`return-qty-${row.sku_code}`}
                    />
                    {issue && (
                      <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`return-qty-error-${row.sku_code}`}>
                        {t(issue, quantityValues({ baseUnitName: row.base_unit_name, basePrecision: row.base_unit_precision }))}
                      </Typography.Text>
                    )}
                    {lineErrors[row.receipt_line] && (
                      <Typography.Text type="danger">{lineErrors[row.receipt_line]}</Typography.Text>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        <Button
          type={doc ? "primary" : "default"}
          disabled={!chosen.length || stale || blocked}
          loading={save.isPending && save.variables === false}
          onClick={() => save.mutate(false)}
          data-testid={doc ? "draft-save" : "return-save"}
        >
          {doc ? t("common.save") : t("doc.saveDraft")}
        </Button>
        {doc && (
          <Button onClick={onDone} data-testid="draft-cancel">
            {t("common.cancel")}
          </Button>
        )}
        {mayPost && (
          <Button
            type="primary"
            disabled={!chosen.length || blocked}
            loading={save.isPending && save.variables === true}
            onClick={() => save.mutate(true)}
            data-testid="return-save-post"
          >
            {t("doc.saveAndPost")}
          </Button>
        )}
      </Space>
    </div>
  );
}
