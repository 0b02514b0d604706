// The draft form of a stock document (other stock-in/out, adjustment, scrap): warehouse and
// notes, then the lines; for a new document (no `doc`) or a saved draft.
import { useMemo } from "react";
import { Col, Form, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import type { StockDocumentRow } from "../../api/contract";
import { DraftForm } from "../../features/drafts/DraftForm";
import type { KindConfig } from "./kinds";

export function StockDocForm({
  config,
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  config: KindConfig;
  doc?: StockDocumentRow;
  onDone?: () => void; // saved or cancelled (editing)
  onReload?: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const initial = useMemo(
    () => doc && { header: { warehouse: doc.warehouse, notes: doc.notes }, lines: doc.lines ?? [] },
    [doc],
  );
  return (
    <DraftForm
      warehouseField="warehouse"
      lineOptions={config.lines}
      initial={initial}
      target={
        doc
          ? { mode: "edit", url: `${config.api}${doc.id}/`, version: doc.version, onDone, onReload }
          : { mode: "create", api: config.api, path: config.path, post: true }
      }
      fields={(warehouses) => (
        <>
          <Col xs={24} md={8}>
            <Form.Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={warehouses} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </>
      )}
    />
  );
}
