import { useEffect } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Col, Form, Input, Row, Select, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouses } from "../../api/hooks";
import type { TransferCreate, TransferRow } from "../../api/contract";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import type { ScanLine } from "../../features/scan/scanLines";
import { newIdempotencyKey } from "../../lib/ids";

interface HeaderForm {
  from_warehouse: number;
  to_warehouse: number;
  notes?: string;
}

export function transferPayload(header: HeaderForm, lines: readonly ScanLine[]): TransferCreate {
  return {
    from_warehouse: header.from_warehouse,
    to_warehouse: header.to_warehouse,
    notes: header.notes ?? "",
    lines: [...lines].reverse().map((line) => ({
      sku: line.skuId,
      ...(line.unitId !== null ? { unit: line.unitId } : {}),
      quantity: line.quantity,
    })),
  };
}

export function TransferCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<HeaderForm>();
  const warehouses = useWarehouses();
  const scan = useScanLines();
  const options = (warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }));

  useEffect(() => {
    const first = warehouses.data?.[0];
    if (first && form.getFieldValue("from_warehouse") === undefined) {
      form.setFieldValue("from_warehouse", first.id);
    }
  }, [warehouses.data, form]);

  const save = useMutation({
    mutationFn: async () => {
      const header = await form.validateFields();
      return request<TransferRow>("POST", "/api/v1/transfers/", {
        body: transferPayload(header, scan.lines),
        idempotencyKey: newIdempotencyKey(),
      });
    },
    onSuccess: async (transfer) => {
      message.success(t("doc.saved"));
      await queryClient.invalidateQueries();
      navigate(`/inventory/transfers/${transfer.id}`, { replace: true });
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      showError(error, t, message, form);
    },
  });

  return (
    <Card title={t("transfer.create")}>
      <Form<HeaderForm> form={form} layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="from_warehouse"
              label={t("transfer.fromWarehouse")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <Select id="transfer-from" options={options} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="to_warehouse"
              label={t("transfer.toWarehouse")}
              dependencies={["from_warehouse"]}
              rules={[
                { required: true, message: t("common.required") },
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | undefined) =>
                    value === undefined || value !== getFieldValue("from_warehouse")
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("transfer.sameWarehouse"))),
                }),
              ]}
            >
              <Select id="transfer-to" options={options} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ScanLinesEditor {...scan} />
      <Space style={{ marginTop: 16 }}>
        <Button
          type="primary"
          disabled={!scan.valid}
          loading={save.isPending}
          onClick={() => save.mutate()}
          data-testid="transfer-save"
        >
          {t("common.save")}
        </Button>
      </Space>
    </Card>
  );
}
