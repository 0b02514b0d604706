// Pay a supplier: amount, method, date and reference, allocated to its open invoices (or to
// receipts nothing is invoiced against); "allocate" fills the oldest due first. Each open item
// shows what other draft payments already claim of it (and which) and what is still available:
// the server refuses an allocation above that (409 over_allocated). What is not
// allocated is paid on account. Saved as a draft, or posted at once.
// The same form edits a saved draft (`doc`): supplier and store stay; amount, method, date,
// reference and allocations are filled in, and saving sends them with the draft's version
// (409 stale_version → reload).
import { useState } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Table } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { OpenItemRow, PaymentMethod, SupplierPaymentRow } from "../../api/contract";
import { formatAmountGrouped, formatMoney } from "../../lib/format";
import { isStaleVersion } from "../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { supplierOptions, useStores, useSuppliers } from "./queries";
import { labelKey, type MessageKey } from "../../i18n/keys";

export const METHODS: PaymentMethod[] = ["bank_transfer", "cash", "online", "acceptance_bill", "cheque"];

/** An open item's kind (the server's document kinds on a supplier account) → its label. */
const ITEM_LABELS: Record<"supplierinvoice" | "purchasereceipt" | "supplierpayment", MessageKey> = {
  supplierinvoice: "finance.item_supplierinvoice",
  purchasereceipt: "finance.item_purchasereceipt",
  supplierpayment: "finance.item_supplierpayment",
};

const key = (item: OpenItemRow) => `${item.kind}:${item.document_id}`;

/** Spread `amount` over the items, oldest due first, each up to what is still available on it
 * (open less what other draft payments claim). */
export function allocateOldestFirst(items: OpenItemRow[], amount: number): Record<string, string> {
  let left = Math.round(amount * 100);
  const out: Record<string, string> = {};
  for (const item of items) {
    const open = Math.round(Number(item.available) * 100);
    if (left <= 0 || open <= 0) continue;
    const take = Math.min(open, left);
    out[key(item)] = (take / 100).toFixed(2);
    left -= take;
  }
  return out;
}

/** A draft's allocations as the form's amounts, by open item ("supplierinvoice:12"). */
export function draftAllocations(doc?: SupplierPaymentRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of doc?.allocations ?? []) {
    const item = a.invoice ? `supplierinvoice:${a.invoice}` : `purchasereceipt:${a.receipt}`;
    out[item] = formatMoney(a.amount);
  }
  return out;
}

export function SupplierPaymentCreatePage() {
  const { t } = useTranslation();
  return (
    <Card title={t("finance.newPayment")}>
      <SupplierPaymentForm />
    </Card>
  );
}

export function SupplierPaymentForm({
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  doc?: SupplierPaymentRow; // a saved draft to edit
  onDone?: () => void; // saved or cancelled (editing)
  onReload?: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const suppliers = useSuppliers();
  const stores = useStores();
  const [supplier, setSupplier] = useState<number | undefined>(doc?.supplier);
  const [store, setStore] = useState<number | undefined>(doc?.store);
  const [method, setMethod] = useState<PaymentMethod>(doc?.method ?? "bank_transfer");
  const [amount, setAmount] = useState<string>(doc ? formatMoney(doc.amount) : "");
  const [date, setDate] = useState(doc ? dayjs(doc.document_date) : dayjs());
  const [reference, setReference] = useState(doc?.reference ?? "");
  const [post, setPost] = useState(!doc);
  const [allocated, setAllocated] = useState<Record<string, string>>(() => draftAllocations(doc));
  const [stale, setStale] = useState(false);
  const items = useQuery({
    queryKey: ["/api/v1/supplier-open-items/", supplier, store, doc?.id],
    queryFn: () =>
      ok(
        client.GET("/api/v1/supplier-open-items/", {
          params: { query: { supplier: given(supplier), store, exclude_payment: doc?.id } },
        }),
      ),
    enabled: supplier !== undefined,
  });
  const payable = (items.data ?? []).filter((item) => item.kind !== "supplierpayment" && Number(item.amount) > 0);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        method,
        amount,
        document_date: date.format("YYYY-MM-DD"),
        reference,
        allocations: payable
          .filter((item) => Number(allocated[key(item)] ?? 0) > 0)
          .map((item) => ({
            [item.kind === "supplierinvoice" ? "invoice" : "receipt"]: item.document_id,
            amount: allocated[key(item)],
          })),
      };
      if (doc) {
        return ok(client.PUT("/api/v1/supplier-payments/{id}/", { params: { path: { id: doc.id } }, body: { ...body, version: doc.version } }));
      }
      return ok(client.POST("/api/v1/supplier-payments/", { body: { ...body, supplier: given(supplier), store: store ?? null, post }, headers: idempotent() }));
    },
    onSuccess: async (payment) => {
      if (doc) {
        await queryClient.invalidateQueries();
        message.success(t("draft.saved"));
        onDone();
        return;
      }
      message.success(t("finance.paymentSaved"));
      navigate(`/finance/supplier-payments/${payment.id}`);
    },
    onError: (error) => {
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      showError(error, t, message);
    },
  });
  const allocatedTotal = Object.values(allocated).reduce((sum, v) => sum + Number(v || 0), 0);
  return (
    <div data-testid={doc ? "draft-editor" : undefined}>
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("finance.supplier")} required>
          <Select
            disabled={Boolean(doc)}
            showSearch
            optionFilterProp="label"
            style={{ width: 260 }}
            data-testid="payment-supplier"
            value={supplier}
            onChange={(value: number) => {
              setSupplier(value);
              setAllocated({});
              const found = suppliers.data?.find((s) => s.id === value);
              if (found?.payment_method) setMethod(found.payment_method);
            }}
            options={supplierOptions(suppliers.data)}
          />
        </Form.Item>
        <Form.Item label={t("finance.store")}>
          <Select
            disabled={Boolean(doc)}
            allowClear
            style={{ width: 180 }}
            value={store}
            onChange={(value?: number) => {
              setStore(value);
              setAllocated({});
            }}
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          />
        </Form.Item>
        <Form.Item label={t("finance.method")}>
          <Select
            style={{ width: 170 }}
            value={method}
            onChange={setMethod}
            options={METHODS.map((m) => ({ value: m, label: t(`finance.method_${m}`) }))}
          />
        </Form.Item>
        <Form.Item label={t("finance.amount")} required>
          <InputNumber<string> stringMode min="0" data-testid="payment-amount" value={amount} onChange={(v) => setAmount(v ?? "")} />
        </Form.Item>
        <Form.Item label={t("finance.paymentDate")}>
          <DatePicker allowClear={false} value={date} disabledDate={(d) => d.isAfter(dayjs(), "day")} onChange={(d) => d && setDate(d)} />
        </Form.Item>
        <Form.Item label={t("finance.reference")}>
          <Input
            data-testid="payment-reference"
            maxLength={100}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
          />
        </Form.Item>
      </Form>
      {supplier !== undefined && (
        <>
          <Space style={{ marginBottom: 8 }}>
            <Button
              data-testid="allocate"
              disabled={!Number(amount)}
              onClick={() => setAllocated(allocateOldestFirst(payable, Number(amount)))}
            >
              {t("finance.allocateOldest")}
            </Button>
            <span>
              {t("finance.allocated")}: {formatAmountGrouped(allocatedTotal.toFixed(2))}
            </span>
          </Space>
          <Table<OpenItemRow>
            rowKey={key}
            size="small"
            loading={items.isLoading}
            dataSource={payable}
            pagination={false}
            columns={[
              { title: t("finance.document"), key: "kind", render: (_v, i) => {
                  const label = labelKey(ITEM_LABELS, i.kind);
                  return label ? t(label) : i.kind;
                },
              },
              { title: t("doc.number"), dataIndex: "number" },
              { title: t("doc.date"), dataIndex: "date" },
              { title: t("finance.dueDate"), dataIndex: "due_date" },
              { title: t("finance.open"), dataIndex: "amount", align: "right", render: (v: string) => formatAmountGrouped(v) },
              {
                title: t("draftClaims.claimed"),
                key: "claimed",
                align: "right",
                render: (_v, i) =>
                  i.claims.length === 0 ? null : (
                    <span data-testid={`claimed-${i.number}`}>
                      {formatAmountGrouped(i.claimed)}
                      <br />
                      <span style={{ color: "#8c8c8c", fontSize: 12 }}>
                        {t("draftClaims.by", { numbers: i.claims.map((c) => `${c.number} (${formatAmountGrouped(c.amount)})`).join(", ") })}
                      </span>
                    </span>
                  ),
              },
              {
                title: t("draftClaims.available"),
                dataIndex: "available",
                align: "right",
                render: (v: string, i) => <span data-testid={`available-${i.number}`}>{formatAmountGrouped(v)}</span>,
              },
              {
                title: t("finance.allocation"),
                key: "allocation",
                width: 150,
                render: (_v, i) => (
                  <InputNumber<string>
                    stringMode
                    min="0"
                    max={i.available}
                    data-testid={`allocate-${i.number}`}
                    value={allocated[key(i)]}
                    onChange={(v) => setAllocated((old) => ({ ...old, [key(i)]: v ?? "" }))}
                  />
                ),
              },
            ]}
          />
        </>
      )}
      <Space style={{ marginTop: 16 }} wrap>
        {!doc && (
          <Checkbox checked={post} onChange={(e) => setPost(e.target.checked)}>
            {t("finance.postNow")}
          </Checkbox>
        )}
        <Button
          type="primary"
          data-testid={doc ? "draft-save" : "payment-save"}
          disabled={supplier === undefined || !Number(amount) || stale}
          loading={save.isPending}
          onClick={() => save.mutate()}
        >
          {doc ? t("common.save") : post ? t("doc.saveAndPost") : t("doc.saveDraft")}
        </Button>
        {doc && (
          <Button onClick={onDone} data-testid="draft-cancel">
            {t("common.cancel")}
          </Button>
        )}
      </Space>
    </div>
  );
}
