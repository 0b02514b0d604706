// Edit a draft return to a supplier from a warehouse (lines by batch, or by receipt line for a
// SKU without batches — not from one receipt): per line the SKU, the batch it goes back from
// (with what may still go back of it) and the quantity in the base unit; lines added and removed;
// the reason. Saving sends all the lines with the draft's version (409 stale_version → reload;
// a line's refusal, e.g. over_return, next to it).
import { useState } from "react";
import { App as AntApp, Button, Form, Input, InputNumber, Select, Space, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, request } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseReturnRow, ReturnableRow } from "../../../api/contract";
import { isStaleVersion } from "../../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../../features/drafts/StaleVersionAlert";
import { formatQty } from "../../../lib/format";
import { RETURNS_API } from "./ReturnListPage";
import { batchLinesBody, draftBatchLines, skuChoices, sourceOptions, type BatchLine } from "./batchReturn";

export function BatchReturnForm({
  doc,
  onDone,
  onReload,
}: {
  doc: PurchaseReturnRow; // the saved draft (supplier and warehouse, no receipt)
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<BatchLine[]>(() => draftBatchLines(doc));
  const [reason, setReason] = useState(doc.reason ?? "");
  const [stale, setStale] = useState(false);
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const returnable = useQuery({
    queryKey: [`${RETURNS_API}returnable/`, doc.supplier, doc.warehouse],
    queryFn: () =>
      request<ReturnableRow[]>("GET", `${RETURNS_API}returnable/`, {
        query: { supplier: doc.supplier, warehouse: doc.warehouse },
      }),
  });
  const rows = returnable.data ?? [];
  const options = sourceOptions(rows);
  const complete = lines.filter((line) => line.source && (line.quantity ?? 0) > 0);
  const update = (key: number, change: Partial<BatchLine>) =>
    setLines((old) => old.map((line) => (line.key === key ? { ...line, ...change } : line)));
  const save = useMutation({
    mutationFn: () =>
      request<PurchaseReturnRow>("PUT", `${RETURNS_API}${doc.id}/`, {
        body: { version: doc.version, reason, lines: batchLinesBody(lines, options) },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      message.success(t("draft.saved"));
      onDone();
    },
    onError: (error) => {
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      if (error instanceof ApiError) {
        const next: Record<number, string> = {};
        for (const [field, messages] of Object.entries(error.fields)) {
          const match = /^lines\.(\d+)\./.exec(field);
          const line = match ? complete[Number(match[1])] : undefined;
          if (line) next[line.key] = messages.join(" ");
        }
        setLineErrors(next);
      }
      showError(error, t, message);
    },
  });
  return (
    <div data-testid="draft-editor">
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Form layout="vertical">
        <Form.Item label={t("purchaseReturn.supplier")}>
          <Typography.Text data-testid="return-supplier-fixed">
            {doc.supplier_code} {doc.supplier_name} · {doc.warehouse_name}
          </Typography.Text>
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
      <Table<BatchLine>
        rowKey="key"
        size="small"
        loading={returnable.isLoading}
        dataSource={lines}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          {
            title: t("doc.sku"),
            key: "sku",
            width: 280,
            render: (_v, line, index) => (
              <Select<number>
                showSearch
                optionFilterProp="label"
                style={{ width: "100%" }}
                value={line.sku}
                onChange={(sku) => update(line.key, { sku, source: undefined })}
                options={skuChoices(rows)}
                data-testid={`batch-line-sku-${index}`}
              />
            ),
          },
          {
            title: t("batchReturn.source"),
            key: "source",
            width: 260,
            render: (_v, line, index) => (
              <Select<string>
                style={{ width: "100%" }}
                value={line.source}
                disabled={line.sku === undefined}
                onChange={(source) => update(line.key, { source })}
                options={[...options.values()]
                  .filter((option) => option.sku === line.sku)
                  .map((option) => ({
                    value: option.value,
                    label: t("batchReturn.sourceLabel", { source: option.label, returnable: formatQty(String(option.returnable)) }),
                  }))}
                data-testid={`batch-line-batch-${index}`}
              />
            ),
          },
          {
            title: t("purchaseReturn.returnQuantity"),
            key: "quantity",
            width: 220,
            render: (_v, line, index) => (
              <Space direction="vertical" size={0}>
                <InputNumber<number>
                  min={0}
                  max={line.source ? options.get(line.source)?.returnable : undefined}
                  value={line.quantity}
                  status={lineErrors[line.key] ? "error" : undefined}
                  onChange={(quantity) => update(line.key, { quantity })}
                  data-testid={`batch-line-qty-${index}`}
                />
                {lineErrors[line.key] && <Typography.Text type="danger">{lineErrors[line.key]}</Typography.Text>}
              </Space>
            ),
          },
          {
            key: "remove",
            width: 90,
            render: (_v, line, index) => (
              <Button
                danger
                size="small"
                onClick={() => setLines((old) => old.filter((other) => other.key !== line.key))}
                data-testid={`batch-line-remove-${index}`}
              >
                {t("batchReturn.remove")}
              </Button>
            ),
          },
        ]}
      />
      <Button
        style={{ marginTop: 8 }}
        onClick={() => setLines((old) => [...old, { key: Math.max(0, ...old.map((l) => l.key)) + 1, quantity: null }])}
        data-testid="batch-line-add"
      >
        {t("batchReturn.addLine")}
      </Button>
      <Space style={{ marginTop: 16, display: "flex" }}>
        <Button
          type="primary"
          disabled={!complete.length || stale}
          loading={save.isPending}
          onClick={() => save.mutate()}
          data-testid="draft-save"
        >
          {t("common.save")}
        </Button>
        <Button onClick={onDone} data-testid="draft-cancel">
          {t("common.cancel")}
        </Button>
      </Space>
    </div>
  );
}
