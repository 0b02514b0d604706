// Edit a saved draft stock document: the scan-lines editor prefilled with its header and lines,
// saved with PUT and the document's `version` (409 stale_version → reload).
import { useEffect, useState } from "react";
import { App as AntApp, Button, Col, Form, Input, Row, Select, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouses } from "../../api/hooks";
import type { StockDocumentRow } from "../../api/contract";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import { isStaleVersion, savedLineExtras, scanLinesFromSaved } from "../../features/drafts/draftLines";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { stockDocPayload } from "./StockDocCreatePage";
import type { KindConfig } from "./kinds";

interface HeaderForm {
  warehouse: number;
  notes?: string;
}

export function StockDocEditForm({
  config,
  doc,
  url,
  onDone,
  onReload,
}: {
  config: KindConfig;
  doc: StockDocumentRow;
  url: string;
  onDone: () => void; // saved or cancelled
  onReload: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<HeaderForm>();
  const warehouses = useWarehouses();
  const scan = useScanLines();
  const { setLines } = scan;
  const [stale, setStale] = useState(false);

  useEffect(() => {
    setLines(scanLinesFromSaved(doc.lines ?? []));
  }, [doc, setLines]);

  const save = useMutation({
    mutationFn: async () => {
      const header = await form.validateFields();
      const { post: _post, ...payload } = stockDocPayload(header, scan.lines, false);
      // keep what the editor does not show (batch, location, notes) on the lines it came from
      const extras = savedLineExtras(doc.lines ?? [], config.kind === "stock_in");
      const keys = [...scan.lines].reverse().map((line) => line.key);
      const lines = payload.lines.map((line, index) => ({ ...(extras[keys[index] ?? ""] ?? {}), ...line }));
      return request<StockDocumentRow>("PUT", url, { body: { ...payload, lines, version: doc.version } });
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
        initialValues={{ warehouse: doc.warehouse, notes: doc.notes }}
      >
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
