import { newIdempotencyKey } from "../../lib/ids";
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Col, Form, Input, Row, Select, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouses } from "../../api/hooks";
import type { StockDocumentCreate, StockDocumentRow } from "../../api/contract";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import type { ScanLine } from "../../features/scan/scanLines";
import { kindConfig, type StockKind } from "./kinds";

interface HeaderForm {
  warehouse: number;
  notes?: string;
}

export function stockDocPayload(
  header: HeaderForm,
  lines: readonly ScanLine[],
  post: boolean,
): StockDocumentCreate {
  return {
    post,
    warehouse: header.warehouse,
    notes: header.notes ?? "",
    lines: [...lines].reverse().map((line) => ({
      sku: line.skuId,
      ...(line.unitId !== null ? { unit: line.unitId } : {}),
      quantity: line.quantity,
      ...(line.unitCost ? { unit_cost: line.unitCost } : {}),
    })),
  };
}

export function StockDocCreatePage({ kind }: { kind: StockKind }) {
  const config = kindConfig(kind);
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<HeaderForm>();
  const warehouses = useWarehouses();
  const scan = useScanLines();
  const { lines } = scan;

  useEffect(() => {
    const first = warehouses.data?.[0];
    if (first && form.getFieldValue("warehouse") === undefined) form.setFieldValue("warehouse", first.id);
  }, [warehouses.data, form]);

  const save = useMutation({
    mutationFn: async ({ post }: { post: boolean }) => {
      const header = await form.validateFields();
      return request<StockDocumentRow>("POST", config.api, {
        body: stockDocPayload(header, lines, post),
        idempotencyKey: newIdempotencyKey(),
      });
    },
    onSuccess: async (document, { post }) => {
      message.success(post ? t("doc.posted") : t("doc.saved"));
      await queryClient.invalidateQueries();
      navigate(`${config.path}/${document.id}`, { replace: true });
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return; // form validation shown inline
      showError(error, t, message, form);
    },
  });

  const invalid = !scan.valid;

  return (
    <Card title={t(`docKind.${kind}.create`)}>
      <Form<HeaderForm> form={form} layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true, message: t("common.required") }]}>
              <Select
                loading={warehouses.isLoading}
                options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ScanLinesEditor {...scan} showCost={config.showCost} signed={config.signed} />
      <Space style={{ marginTop: 16 }} wrap>
        <Button disabled={invalid} loading={save.isPending} onClick={() => save.mutate({ post: false })}>
          {t("doc.saveDraft")}
        </Button>
        <Button
          type="primary"
          disabled={invalid}
          loading={save.isPending}
          onClick={() => save.mutate({ post: true })}
          data-testid="save-and-post"
        >
          {t("doc.saveAndPost")}
        </Button>
      </Space>
    </Card>
  );
}
