// Enter a supplier invoice from the supplier's receipts: choose the supplier, tick the receipt
// lines the invoice covers, give the invoiced quantity and price of each (default: what is not
// invoiced yet, at the order's price); a price beyond the company's tolerance is marked before
// saving, and the server flags it on the line for an explicit accept.
// The same form edits a saved draft (`doc`): the supplier stays, its lines are ticked with their
// quantities and prices (the receipt lines it holds count as open for it), and saving sends them
// with the draft's version (409 stale_version → reload).
import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { SupplierInvoiceRow, UninvoicedLineRow } from "../../api/contract";
import { formatAmountGrouped, formatMoney, formatQty } from "../../lib/format";
import { supplierOptions, useSuppliers } from "./queries";
import { isStaleVersion } from "../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";

interface Entry {
  quantity: string;
  price: string;
}

/** Whether an invoice price lies beyond the tolerance (percent) from the order's price. */
export function beyondTolerance(price: string, expected: string, tolerance: string): boolean {
  const p = Number(price);
  const e = Number(expected);
  if (!Number.isFinite(p) || !Number.isFinite(e)) return false;
  if (e === 0) return p !== 0;
  return Math.abs(p - e) > (e * Number(tolerance || "0")) / 100 + 1e-9;
}

/** A draft's lines as the form's entries, by receipt line. */
export function draftEntries(doc?: SupplierInvoiceRow): Record<number, Entry> {
  const out: Record<number, Entry> = {};
  for (const line of doc?.lines ?? []) {
    out[line.receipt_line] = { quantity: formatQty(line.quantity), price: formatMoney(line.price) };
  }
  return out;
}

export function SupplierInvoiceCreatePage() {
  const { t } = useTranslation();
  return (
    <Card title={t("finance.newInvoice")}>
      <SupplierInvoiceForm />
    </Card>
  );
}

export function SupplierInvoiceForm({
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  doc?: SupplierInvoiceRow; // a saved draft to edit
  onDone?: () => void; // saved or cancelled (editing)
  onReload?: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const suppliers = useSuppliers();
  const [supplier, setSupplier] = useState<number | undefined>(doc?.supplier);
  const [invoiceNo, setInvoiceNo] = useState(doc?.invoice_no ?? "");
  const [invoiceDate, setInvoiceDate] = useState(doc ? dayjs(doc.invoice_date) : dayjs());
  const [selected, setSelected] = useState<number[]>(() => (doc?.lines ?? []).map((line) => line.receipt_line));
  const [entries, setEntries] = useState<Record<number, Entry>>(() => draftEntries(doc));
  const [stale, setStale] = useState(false);
  const company = useQuery({ queryKey: ["/api/v1/company/"], queryFn: () => ok(client.GET("/api/v1/company/")) });
  const tolerance = company.data?.invoice_price_tolerance ?? "1";
  const lines = useQuery({
    queryKey: ["/api/v1/supplier-invoices/uninvoiced-lines/", supplier, doc?.id],
    queryFn: () =>
      ok(client.GET("/api/v1/supplier-invoices/uninvoiced-lines/", { params: { query: { supplier: given(supplier), invoice: doc?.id } } })),
    enabled: supplier !== undefined,
  });
  const entry = (line: UninvoicedLineRow): Entry =>
    entries[line.receipt_line] ?? { quantity: formatQty(line.open_quantity), price: formatMoney(line.price) };
  const setEntry = (line: UninvoicedLineRow, patch: Partial<Entry>) =>
    setEntries((old) => ({ ...old, [line.receipt_line]: { ...entry(line), ...patch } }));
  const chosen = useMemo(
    () => (lines.data ?? []).filter((line) => selected.includes(line.receipt_line)),
    [lines.data, selected],
  );
  const total = chosen.reduce((sum, line) => sum + Number(entry(line).quantity) * Number(entry(line).price), 0);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        invoice_no: invoiceNo,
        invoice_date: invoiceDate.format("YYYY-MM-DD"),
        lines: chosen.map((line) => ({
          receipt_line: line.receipt_line,
          quantity: entry(line).quantity,
          price: entry(line).price,
        })),
      };
      if (doc) {
        return ok(client.PUT("/api/v1/supplier-invoices/{id}/", { params: { path: { id: doc.id } }, body: { ...body, version: doc.version } }));
      }
      return ok(client.POST("/api/v1/supplier-invoices/", { body: { ...body, supplier: given(supplier) }, headers: idempotent() }));
    },
    onSuccess: async (invoice) => {
      if (doc) {
        await queryClient.invalidateQueries();
        message.success(t("draft.saved"));
        onDone();
        return;
      }
      message.success(t("finance.invoiceSaved"));
      navigate(`/finance/supplier-invoices/${invoice.id}`);
    },
    onError: (error) => {
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      showError(error, t, message);
    },
  });
  const reasons = [
    supplier === undefined && t("finance.chooseSupplier"),
    !invoiceNo.trim() && t("finance.giveInvoiceNo"),
    chosen.length === 0 && t("finance.chooseLines"),
  ].filter(Boolean);
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
            data-testid="invoice-supplier"
            value={supplier}
            onChange={(value: number) => {
              setSupplier(value);
              setSelected([]);
              setEntries({});
            }}
            options={supplierOptions(suppliers.data)}
          />
        </Form.Item>
        <Form.Item label={t("finance.invoiceNo")} required>
          <Input data-testid="invoice-no" maxLength={64} value={invoiceNo} onChange={(e) => setInvoiceNo(e.target.value)} />
        </Form.Item>
        <Form.Item label={t("finance.invoiceDate")} required>
          <DatePicker
            allowClear={false}
            value={invoiceDate}
            disabledDate={(d) => d.isAfter(dayjs(), "day")}
            onChange={(d) => d && setInvoiceDate(d)}
          />
        </Form.Item>
      </Form>
      {supplier !== undefined && lines.data?.length === 0 && <Alert type="info" showIcon message={t("finance.nothingToInvoice")} />}
      {supplier !== undefined && (lines.data?.length ?? 0) > 0 && (
        <Table<UninvoicedLineRow>
          rowKey="receipt_line"
          size="small"
          loading={lines.isLoading}
          dataSource={lines.data}
          pagination={false}
          scroll={{ x: 1000 }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
          columns={[
            { title: t("finance.receipt"), key: "receipt", render: (_v, l) => `${l.receipt_number} (${l.receipt_date})` },
            { title: t("finance.order"), dataIndex: "order_number", render: (v: string | null) => v ?? "—" },
            { title: t("doc.sku"), key: "sku", render: (_v, l) => `${l.sku_code} ${l.sku_name}` },
            { title: t("doc.unit"), dataIndex: "unit_name", width: 60 },
            { title: t("finance.openQuantity"), dataIndex: "open_quantity", align: "right", render: (v: string) => formatQty(v) },
            {
              title: t("finance.invoiced"),
              key: "quantity",
              width: 120,
              render: (_v, l) => (
                <InputNumber<string>
                  stringMode
                  min="0"
                  max={l.open_quantity}
                  data-testid={`qty-${l.receipt_line}`}
                  value={entry(l).quantity}
                  onChange={(v) => setEntry(l, { quantity: v ?? "0" })}
                />
              ),
            },
            { title: t("finance.orderPrice"), dataIndex: "price", align: "right", render: (v: string) => formatMoney(v) },
            {
              title: t("finance.invoicePrice"),
              key: "price",
              width: 170,
              render: (_v, l) => (
                <Space size={4}>
                  <InputNumber<string>
                    stringMode
                    min="0"
                    data-testid={`price-${l.receipt_line}`}
                    value={entry(l).price}
                    onChange={(v) => setEntry(l, { price: v ?? "0" })}
                  />
                  {beyondTolerance(entry(l).price, l.price, tolerance) && (
                    <Tag color="orange" data-testid={`flag-${l.receipt_line}`}>{t("finance.priceDifference")}</Tag>
                  )}
                </Space>
              ),
            },
            { title: t("finance.vat"), dataIndex: "tax_rate", width: 60, render: (v: string) => `${formatQty(v)}%` },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }} wrap>
        <span>
          {t("finance.amount")}: <b data-testid="invoice-preview-total">{formatAmountGrouped(total.toFixed(2))}</b>
        </span>
        <Button
          type="primary"
          data-testid={doc ? "draft-save" : "invoice-save"}
          disabled={reasons.length > 0 || stale}
          loading={save.isPending}
          onClick={() => save.mutate()}
        >
          {doc ? t("common.save") : t("doc.saveDraft")}
        </Button>
        {doc && (
          <Button onClick={onDone} data-testid="draft-cancel">
            {t("common.cancel")}
          </Button>
        )}
        {reasons.length > 0 && <span>{t("doc.cannotSave", { reasons: reasons.join(t("doc.reasonSeparator")) })}</span>}
      </Space>
    </div>
  );
}
