// The draft editor of a purchase request: warehouse, needed-by date, notes, and lines (SKU,
// quantity in a unit of the SKU, needed-by, note). Creates a new request or saves a draft
// (with its version: a stale one is 409).
import { useNavigate } from "react-router";
import { App as AntApp, Button, DatePicker, Form, Input, InputNumber, Select, Space } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import dayjs, { type Dayjs } from "dayjs";
import { client, given, idempotent, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { PurchaseRequestRow } from "../../../api/contract";
import { SkuPicker } from "../../../components/SkuPicker";
import { useWarehouseOptions } from "../../../features/stock/queries";
import { REQUESTS_PATH } from "./RequestListPage";

interface LineValues {
  sku?: number;
  quantity?: number;
  unit?: number;
  needed_by?: Dayjs | null;
  notes?: string;
}

interface Values {
  warehouse?: number;
  needed_by?: Dayjs | null;
  notes?: string;
  lines: LineValues[];
}

const day = (value: Dayjs | null | undefined) => (value ? value.format("YYYY-MM-DD") : null);

export function RequestForm({ doc, onDone }: { doc?: PurchaseRequestRow; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const warehouses = useWarehouseOptions();
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
  const initial: Values = doc
    ? {
        warehouse: doc.warehouse,
        needed_by: doc.needed_by ? dayjs(doc.needed_by) : null,
        notes: doc.notes,
        lines: (doc.lines ?? []).map((line) => ({
          sku: line.sku,
          quantity: Number(line.quantity),
          unit: line.unit,
          needed_by: line.needed_by ? dayjs(line.needed_by) : null,
          notes: line.notes,
        })),
      }
    : { lines: [{}] };
  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(values) => save.mutate(values)}>
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
                <Form.Item name={[field.name, "quantity"]} label={t("doc.quantity")} rules={[{ required: true }]}>
                  <InputNumber<number> min={0} />
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
