// The draft form of a stock document (other stock-in/out, adjustment, scrap): warehouse and
// its reason (出入库类别, the kind's reason codes; required on a scrap), notes, then the lines; for
// a new document (no `doc`) or a saved draft.
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";
import { Col, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import type { StockDocumentRow } from "../../api/contract";
import { DraftForm, type DraftInitial } from "../../features/drafts/DraftForm";
import type { KindConfig } from "./kinds";
import { useAuth } from "../../auth/auth";

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
  // a unit cost per line only for users who may see costs (keepers post at the average cost)
  const showCost = useAuth().can("costs");
  const reasons = useQuery({
    queryKey: ["/api/v1/reason-codes/", config.kind],
    queryFn: () =>
      ok(client.GET("/api/v1/reason-codes/", { params: { query: { kind: config.kind, active: true } } })),
    staleTime: 300_000,
  });
  const reasonOptions = (reasons.data ?? []).map((r) => ({ value: r.id, label: r.name }));
  // a scrap says why (expired, damaged...) once the company has reasons for it
  const reasonRequired = config.kind === "scrap" && reasonOptions.length > 0;
  const initial = useMemo(
    (): DraftInitial<KindConfig["api"]> | undefined =>
      doc && {
        header: { warehouse: doc.warehouse, reason: doc.reason ?? undefined, notes: doc.notes },
        lines: doc.lines ?? [],
      },
    [doc],
  );
  return (
    <DraftForm
      api={config.api}
      warehouseField="warehouse"
      lineOptions={{ ...config.lines, showCost: Boolean(config.lines.showCost) && showCost }}
      initial={initial}
      target={
        doc
          ? { mode: "edit", id: doc.id, version: doc.version, onDone, onReload }
          : { mode: "create", path: config.path, post: true }
      }
      fields={(warehouses, Item) => (
        <>
          <Col xs={24} md={8}>
            <Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={warehouses} />
            </Item>
          </Col>
          <Col xs={24} md={8}>
            <Item
              name="reason"
              label={t("doc.reason")}
              rules={reasonRequired ? [{ required: true, message: t("doc.reasonRequired") }] : []}
            >
              <Select
                id="doc-reason"
                allowClear
                loading={reasons.isLoading}
                options={reasonOptions}
                placeholder={t("doc.reasonPlaceholder")}
              />
            </Item>
          </Col>
          <Col xs={24} md={8}>
            <Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Item>
          </Col>
        </>
      )}
    />
  );
}
