// The draft editor of a purchase request: warehouse, needed-by date, notes, and lines (SKU,
// quantity in a unit of the SKU, needed-by, note). Creates a new request or saves a draft
// (with its version: a stale one is 409). A quantity of 0, or finer than the SKU's base unit allows
// (0.25 case of 10 = 2.5 个), is refused under the field as typed, as on every document line.
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, DatePicker, Form, Input, InputNumber, Select, Space } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import dayjs, { type Dayjs } from "dayjs";
import { client, given, idempotent, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseRequestRow } from "../../../api/contract";
import { SkuPicker } from "../../../components/SkuPicker";
import { useWarehouseOptions } from "../../../features/stock/queries";
import { quantityValues } from "../../../features/drafts/draftLines";
import { normalizeDecimal } from "../../../lib/decimal";
import { REQUESTS_PATH } from "./RequestListPage";
import {
  linesWithNewSku,
  requestLineMeasure,
  requestQuantityIssue,
  savedMeasure,
  type BaseUnit,
  type SavedMeasure,
} from "./requestLines";

interface LineValues {
  sku?: number;
  quantity?: string | null;
  unit?: number;
  needed_by?: Dayjs | null;
  notes?: string;
  saved?: SavedMeasure; // a saved line: its unit and base unit (not sent)
}

interface Values {
  warehouse?: number;
  needed_by?: Dayjs | null;
  notes?: string;
  lines: LineValues[];
}

const day = (value: Dayjs | null | undefined) => (value ? value.format("YYYY-MM-DD") : null);

export function RequestForm({ doc, onDone }: { doc?: PurchaseRequestRow; onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const warehouses = useWarehouseOptions();
  // the errors shown are said again in the language switched to
  useEffect(() => {
    const shown = form.getFieldsError().filter((field) => field.errors.length > 0).map((field) => field.name);
    if (shown.length > 0) form.validateFields(shown).catch(() => undefined);
  }, [form, i18n.language]);
  // a line's quantity as typed: zero, or more decimals than its base unit allows (the SKU's, read
  // as the SKU picker reads it; a saved line's came with it) — said under the field, not saved
  const checkQuantity = async (index: number, value: string | null | undefined) => {
    const line = (form.getFieldValue(["lines", index]) ?? {}) as LineValues;
    const sku = line.sku;
    let base: BaseUnit | undefined;
    if (sku !== undefined && !(line.saved?.sku === sku && line.saved.basePrecision !== undefined)) {
      try {
        const detail = await queryClient.ensureQueryData(skuDetail(sku));
        base = detail.base_unit;
      } catch {
        base = undefined; // not known: the server checks it
      }
    }
    // read again: a SKU just changed has reset the line's unit meanwhile
    const measure = requestLineMeasure({ ...line, ...((form.getFieldValue(["lines", index]) ?? {}) as LineValues) }, base);
    const issue = requestQuantityIssue(value, measure);
    if (issue) throw new Error(t(issue, quantityValues(measure)));
  };
  const save = useMutation({
    mutationFn: (values: Values) => {
      const lines = values.lines.map((line) => ({
        sku: given(line.sku), // required by the form
        quantity: String(line.quantity ?? ""),
        unit: line.unit ?? null,
        needed_by: day(line.needed_by),
        notes: line.notes ?? "",
      }));
      const body = { needed_by: day(values.needed_by), notes: values.notes ?? "", lines };
      return doc
        ? ok(
            client.PATCH("/api/v1/purchase-requests/{id}/", {
              params: { path: { id: doc.id } },
              body: { ...body, version: doc.version, needed_by: body.needed_by ?? undefined },
            }),
          )
        : ok(
            client.POST("/api/v1/purchase-requests/", {
              headers: idempotent(),
              body: { ...body, warehouse: given(values.warehouse) }, // required by the form
            }),
          );
    },
    onSuccess: async (saved) => {
      message.success(t("doc.saved"));
      await queryClient.invalidateQueries();
      if (onDone) onDone();
      else navigate(`${REQUESTS_PATH}/${saved.id}`);
    },
    onError: (error) => showError(error, t, message, form),
  });
  // another SKU on a line: its unit (a saved line's, of the old SKU) becomes the new SKU's base unit
  const onValuesChange = (changed: Partial<Values>) => {
    for (const index of linesWithNewSku(changed)) {
      form.setFieldValue(["lines", index, "unit"], undefined);
      const quantity = form.getFieldValue(["lines", index, "quantity"]) as string | null | undefined;
      if (quantity !== undefined && quantity !== null && quantity !== "") {
        form.validateFields([["lines", index, "quantity"]]).catch(() => undefined);
      }
    }
  };
  const initial: Values = doc
    ? {
        warehouse: doc.warehouse,
        needed_by: doc.needed_by ? dayjs(doc.needed_by) : null,
        notes: doc.notes,
        lines: (doc.lines ?? []).map((line) => ({
          sku: line.sku,
          quantity: normalizeDecimal(line.quantity),
          unit: line.unit,
          needed_by: line.needed_by ? dayjs(line.needed_by) : null,
          notes: line.notes,
          saved: savedMeasure(line),
        })),
      }
    : { lines: [{}] };
  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial} onValuesChange={onValuesChange} onFinish={(values) => save.mutate(values)}>
      <Space wrap align="start">
        <Form.Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true }]}>
          <Select style={{ minWidth: 220 }} options={warehouses} disabled={!!doc} data-testid="request-warehouse" />
        </Form.Item>
        <Form.Item name="needed_by" label={t("purchaseRequest.neededBy")}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="notes" label={t("doc.notes")}>
          <Input style={{ minWidth: 280 }} />
        </Form.Item>
      </Space>
      <Form.List name="lines">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Space key={field.key} wrap align="start" data-testid="request-line">
                <Form.Item name={[field.name, "sku"]} label={t("doc.sku")} rules={[{ required: true }]}>
                  <SkuPicker value={undefined} onChange={() => undefined} />
                </Form.Item>
                <Form.Item
                  name={[field.name, "quantity"]}
                  label={t("doc.quantity")}
                  dependencies={[["lines", field.name, "sku"]]}
                  rules={[{ required: true }, { validator: (_rule, value: string | null) => checkQuantity(field.name, value) }]}
                >
                  <LineQuantity index={field.name} data-testid={`request-qty-${field.name}`} />
                </Form.Item>
                <Form.Item name={[field.name, "needed_by"]} label={t("purchaseRequest.neededBy")}>
                  <DatePicker />
                </Form.Item>
                <Form.Item name={[field.name, "notes"]} label={t("doc.notes")}>
                  <Input />
                </Form.Item>
                <Button
                  style={{ marginTop: 30 }}
                  icon={<MinusCircleOutlined />}
                  disabled={fields.length === 1}
                  onClick={() => remove(field.name)}
                  aria-label={t("doc.remove")}
                />
              </Space>
            ))}
            <Form.Item>
              <Button icon={<PlusOutlined />} onClick={() => add({})}>
                {t("purchaseRequest.addLine")}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="request-save">
        {t("doc.saveDraft")}
      </Button>
    </Form>
  );
}

const skuDetail = (sku: number) => ({
  queryKey: ["/api/v1/skus/", sku],
  queryFn: () => ok(client.GET("/api/v1/skus/{id}/", { params: { path: { id: sku } } })),
});

/** A line's quantity with the unit it is in: the saved line's unit, or the picked SKU's base unit. */
function LineQuantity({
  index,
  value,
  onChange,
  "data-testid": testId,
}: {
  index: number;
  value?: string | null;
  onChange?: (value: string | null) => void;
  "data-testid"?: string;
}) {
  const form = Form.useFormInstance<Values>();
  const line = (Form.useWatch(["lines", index], form) ?? {}) as LineValues;
  const sku = line.sku;
  const detail = useQuery({ ...skuDetail(sku ?? 0), enabled: sku !== undefined && line.saved?.sku !== sku });
  const unitName = requestLineMeasure(line, detail.data?.base_unit).unitName;
  // the addon is always there, empty until the SKU's unit arrives: adding it later rebuilt the
  // field under the user's typing, which lost the focus and the rest of what was typed
  return (
    <InputNumber<string>
      stringMode
      min="0"
      value={value}
      onChange={onChange}
      addonAfter={<span style={{ display: "inline-block", minWidth: 14 }}>{unitName}</span>}
      data-testid={testId}
    />
  );
}
