// Edit a saved draft transfer: the scan-lines editor prefilled with its header and lines, saved
// with PUT and the transfer's `version` (409 stale_version → reload).
import { useEffect, useState } from "react";
import { App as AntApp, Button, Col, Form, Input, Row, Select, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouses } from "../../api/hooks";
import type { TransferRow } from "../../api/contract";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import { isStaleVersion, savedLineExtras, scanLinesFromSaved } from "../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { transferPayload } from "./TransferCreatePage";

interface HeaderForm {
  from_warehouse: number;
  to_warehouse: number;
  notes?: string;
}

export function TransferEditForm({
  doc,
  url,
  onDone,
  onReload,
}: {
  doc: TransferRow;
  url: string;
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<HeaderForm>();
  const warehouses = useWarehouses();
  const scan = useScanLines();
  const { setLines } = scan;
  const [stale, setStale] = useState(false);
  const options = (warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }));

  useEffect(() => {
    setLines(scanLinesFromSaved(doc.lines));
  }, [doc, setLines]);

  const save = useMutation({
    mutationFn: async () => {
      const header = await form.validateFields();
      const payload = transferPayload(header, scan.lines);
      // keep the batch and notes of the lines the editor came from
      const extras = savedLineExtras(
        doc.lines.map((line) => ({
          ...line,
          production_date: null,
          location: null,
          allow_expired: false,
        })),
        false,
      );
      const keys = [...scan.lines].reverse().map((line) => line.key);
      const lines = payload.lines.map((line, index) => ({ ...(extras[keys[index] ?? ""] ?? {}), ...line }));
      return request<TransferRow>("PUT", url, { body: { ...payload, lines, version: doc.version } });
    },
    onSuccess: async () => {
      message.success(t("draft.saved"));
      await queryClient.invalidateQueries();
      onDone();
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      showError(error, t, message, form);
    },
  });

  return (
    <div data-testid="draft-editor">
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Form<HeaderForm>
        form={form}
        layout="vertical"
        initialValues={{ from_warehouse: doc.from_warehouse, to_warehouse: doc.to_warehouse, notes: doc.notes }}
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="from_warehouse"
              label={t("transfer.fromWarehouse")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <Select options={options} />
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
              <Select options={options} />
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
      <Space style={{ marginTop: 16 }} wrap>
        <Button
          type="primary"
          disabled={!scan.valid || stale}
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
