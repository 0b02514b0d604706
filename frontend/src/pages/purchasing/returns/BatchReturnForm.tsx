// A return to a supplier from a warehouse (lines by batch, or by receipt line for a SKU without
// batches — not from one receipt): the supplier and warehouse (fixed once saved), per line the
// SKU, the batch it goes back from (with what may still go back of it) and the quantity in the
// base unit; lines added and removed; the reason. Creating saves a draft or saves and posts;
// editing a draft sends all the lines with its version (409 stale_version → reload). A line's
// refusal (e.g. over_return) shows next to it.
import { useState } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Form, Input, InputNumber, Select, Space, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, given, idempotent, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseReturnRow } from "../../../api/contract";
import { isStaleVersion, quantityValues } from "../../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../../features/drafts/StaleVersionAlert";
import { formatQty } from "../../../lib/format";
import { useAuth } from "../../../auth/auth";
import { hasPermission } from "../../../auth/access";
import { useWarehouses } from "../../../api/hooks";
import { supplierOptions, useSuppliers } from "../../finance/queries";
import { RETURNS_API, RETURNS_PATH } from "./ReturnListPage";
import {
  batchLinesBody,
  draftBatchLines,
  positive,
  returnQuantityIssue,
  skuChoices,
  sourceOptions,
  type BatchLine,
} from "./batchReturn";

export function BatchReturnForm({
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  doc?: PurchaseReturnRow; // a saved draft (supplier and warehouse, no receipt) to edit
  onDone?: () => void;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const suppliers = useSuppliers();
  const warehouses = useWarehouses();
  const [supplier, setSupplier] = useState<number | undefined>(doc?.supplier);
  const [warehouse, setWarehouse] = useState<number | undefined>(doc?.warehouse);
  const [lines, setLines] = useState<BatchLine[]>(() => (doc ? draftBatchLines(doc) : [{ key: 1, quantity: null }]));
  const [reason, setReason] = useState(doc?.reason ?? "");
  const [stale, setStale] = useState(false);
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const returnable = useQuery({
    queryKey: [`${RETURNS_API}returnable/`, supplier, warehouse],
    queryFn: () =>
      ok(client.GET("/api/v1/purchase-returns/returnable/", { params: { query: { supplier, warehouse } } })),
    enabled: supplier !== undefined && warehouse !== undefined,
  });
  const rows = returnable.data ?? [];
  const options = sourceOptions(rows);
  const complete = lines.filter((line) => line.source && positive(line.quantity));
  // the base unit of a line's SKU (its sources all share it): its name and decimal places
  const baseUnitOf = (line: BatchLine) => {
    const option = [...options.values()].find((o) => o.sku === line.sku);
    return { baseUnitName: option?.baseUnitName ?? "", basePrecision: option?.basePrecision };
  };
  // zero or too many decimals: said under the field as typed, and nothing is saved until fixed
  const quantityIssueOf = (line: BatchLine) => returnQuantityIssue(line.quantity, baseUnitOf(line).basePrecision);
  const blocked = lines.some((line) => quantityIssueOf(line) !== null);
  const update = (key: number, change: Partial<BatchLine>) =>
    setLines((old) => old.map((line) => (line.key === key ? { ...line, ...change } : line)));
  const save = useMutation({
    mutationFn: (post: boolean) => {
      const body = { reason, lines: batchLinesBody(lines, options) };
      if (doc) {
        return ok(
          client.PUT("/api/v1/purchase-returns/{id}/", {
            params: { path: { id: doc.id } },
            body: { ...body, version: doc.version },
          }),
        );
      }
      return ok(
        client.POST("/api/v1/purchase-returns/", {
          headers: idempotent(),
          body: { ...body, supplier: given(supplier), warehouse: given(warehouse), post },
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
    <div data-testid={doc ? "draft-editor" : "batch-return-form"}>
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Form layout="vertical">
        {doc ? (
          <Form.Item label={t("purchaseReturn.supplier")}>
            <Typography.Text data-testid="return-supplier-fixed">
              {doc.supplier_code} {doc.supplier_name} · {doc.warehouse_name}
            </Typography.Text>
          </Form.Item>
        ) : (
          <Space wrap>
            <Form.Item label={t("purchaseReturn.supplier")} required>
              <Select<number>
                showSearch
                optionFilterProp="label"
                style={{ width: 260 }}
                value={supplier}
                onChange={(value) => {
                  setSupplier(value);
                  setLines([{ key: 1, quantity: null }]);
                }}
                options={supplierOptions(suppliers.data)}
                data-testid="return-supplier"
              />
            </Form.Item>
            <Form.Item label={t("doc.warehouse")} required>
              <Select<number>
                showSearch
                optionFilterProp="label"
                style={{ width: 220 }}
                value={warehouse}
                onChange={(value) => {
                  setWarehouse(value);
                  setLines([{ key: 1, quantity: null }]);
                }}
                options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
                data-testid="return-warehouse"
              />
            </Form.Item>
          </Space>
        )}
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
            render: (_v, line, index) => {
              const issue = quantityIssueOf(line);
              const source = line.source ? options.get(line.source) : undefined;
              return (
                <Space direction="vertical" size={0}>
                  <InputNumber<string>
                    stringMode
                    min="0"
                    max={source ? String(source.returnable) : undefined}
                    value={line.quantity}
                    status={issue || lineErrors[line.key] ? "error" : undefined}
                    aria-invalid={issue ? true : undefined}
                    onChange={(quantity) => update(line.key, { quantity })}
                    data-testid={`batch-line-qty-${index}`}
                  />
                  {issue && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`batch-line-qty-error-${index}`}>
                      {t(issue, quantityValues(baseUnitOf(line)))}
                    </Typography.Text>
                  )}
                  {lineErrors[line.key] && <Typography.Text type="danger">{lineErrors[line.key]}</Typography.Text>}
                </Space>
              );
            },
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
          type={doc ? "primary" : "default"}
          disabled={!complete.length || stale || blocked}
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
        {!doc && hasPermission(me, "purchasing.post_purchasereturn") && (
          <Button
            type="primary"
            disabled={!complete.length || blocked}
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
