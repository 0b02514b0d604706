// The draft form of an inventory document (stock document or transfer), for creating one and
// for editing a saved draft: the header fields the document family gives, the scan-lines
// editor, and the save buttons. Creating POSTs (optionally posting at once) and opens the new
// document; editing PUTs with the document's `version` (409 stale_version → reload). The form is
// generic over the document's list path: its header fields are typed by that path's request
// bodies (`DraftHeader`), so a field the API renamed fails `tsc`.
import { useEffect, useState, type ReactElement, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { Alert, App as AntApp, Button, Form, Row, Space, Typography, type FormItemProps } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { NamePath } from "antd/es/form/interface";
import { ApiError } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouseOptions } from "../stock/queries";
import { ScanLinesEditor, useScanLines } from "../scan/ScanLinesEditor";
import { clearWarehouseFields } from "../scan/scanLines";
import { StaleVersionAlert } from "./StaleVersionAlert";
import { createDraft, submitDraft, updateDraft, type DraftHeader, type DraftPath } from "./draftApi";
import {
  isInbound,
  isStaleVersion,
  lineErrors,
  lineIssues,
  linesPayload,
  quantityValues,
  scanLinesFromSaved,
  type LineOptions,
  type SavedLine,
} from "./draftLines";

export type WarehouseOptions = ReturnType<typeof useWarehouseOptions>;

export type DraftTarget =
  | { mode: "create"; path: string; post: boolean; saveTestId?: string } // path: the page to open
  | { mode: "edit"; id: number; version: number; onDone: () => void; onReload: () => void };

/** A saved draft to edit: its header (as the form holds it) and lines. */
export interface DraftInitial<P extends DraftPath> {
  header: Partial<DraftHeader<P>>;
  lines: readonly SavedLine[];
}

/** The header's `Form.Item`, whose `name` must be a field of the path's request bodies. */
export type HeaderItem<P extends DraftPath> = (props: FormItemProps<DraftHeader<P>>) => ReactElement;

export function DraftForm<P extends DraftPath>({
  api,
  fields,
  warehouseField,
  lineOptions,
  initial,
  target,
}: {
  api: P; // the document list path of the API: POST creates, `{id}/` PUT edits
  fields: (warehouses: WarehouseOptions, Item: HeaderItem<P>) => ReactNode; // the header's Items, in Cols
  warehouseField: keyof DraftHeader<P> & NamePath<DraftHeader<P>>; // the header field naming the warehouse of the lines' batches and locations
  lineOptions: LineOptions;
  initial?: DraftInitial<P>;
  target: DraftTarget;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DraftHeader<P>>();
  const Item: HeaderItem<P> = Form.Item<DraftHeader<P>>;
  const warehouses = useWarehouseOptions();
  const warehouseId = Form.useWatch(warehouseField, form) as number | undefined;
  const scan = useScanLines(lineOptions);
  const { setLines, setErrors } = scan;
  const [stale, setStale] = useState(false);
  // a refused posting for want of stock: every short line, until the next save
  const [shortages, setShortages] = useState<string[]>([]);

  useEffect(() => {
    if (initial) setLines(scanLinesFromSaved(initial.lines));
  }, [initial, setLines]);

  useEffect(() => {
    const first = warehouses[0];
    if (target.mode === "create" && first && form.getFieldValue(warehouseField) === undefined) {
      form.setFieldValue(warehouseField, first.value);
    }
  }, [warehouses, form, warehouseField, target.mode]);

  const save = useMutation({
    mutationFn: async ({ post }: { post: boolean }) => {
      setShortages([]);
      const header = await form.validateFields();
      const lines = scan.lines;
      const payload = linesPayload(lines, lineOptions);
      try {
        if (target.mode === "edit") return await updateDraft(api, target.id, target.version, header, payload);
        try {
          return await createDraft(api, header, payload, target.post ? post : undefined);
        } catch (error) {
          // "Save and post" of a document an approval rule holds (e.g. a keeper's stock-out
          // above the threshold): nothing was saved; save it and submit it for that approval
          // instead of leaving the user with a refusal and the lines only on screen.
          if (!(post && error instanceof ApiError && error.code === "approval_required")) throw error;
          const draft = await createDraft(api, header, payload, false);
          try {
            await submitDraft(api, draft.id);
          } catch (refused) {
            // saved but not submitted (e.g. the stock changed meanwhile): open the draft and
            // say why, rather than stay on the form where another click would save it twice
            if (!(refused instanceof ApiError)) throw refused;
            return { ...draft, notSubmittedBecause: refused.message };
          }
          return { ...draft, submittedBecause: error.message };
        }
      } catch (error) {
        if (error instanceof ApiError) setErrors(lineErrors(error.fields, lines));
        throw error;
      }
    },
    onSuccess: async (
      document: { id: number; submittedBecause?: string; notSubmittedBecause?: string },
      { post },
    ) => {
      await queryClient.invalidateQueries();
      if (target.mode === "edit") {
        message.success(t("draft.saved"));
        target.onDone();
        return;
      }
      if (document.notSubmittedBecause !== undefined) {
        message.warning(t("doc.savedNotSubmitted", { reason: document.notSubmittedBecause }), 8);
      } else if (document.submittedBecause !== undefined) {
        message.info(t("doc.submittedForApproval", { reason: document.submittedBecause }), 8);
      } else {
        message.success(post ? t("doc.posted") : t("doc.saved"));
      }
      navigate(`${target.path}/${document.id}`, { replace: true });
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return; // form validation shown inline
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      if (error instanceof ApiError && error.code === "insufficient_stock") {
        const listed = Array.isArray(error.details.shortages)
          ? (error.details.shortages as { message?: unknown }[]).map((s) => String(s.message ?? ""))
          : [];
        setShortages(listed.length ? listed : [error.message]);
        return;
      }
      showError(error, t, message, form);
    },
  });

  const disabled = !scan.valid || stale;
  // why saving is not possible yet, next to the disabled buttons
  const blocked = stale
    ? []
    : scan.lines.length === 0
      ? [t("doc.noLines")]
      : scan.lines.flatMap((line) =>
          lineIssues(line, lineOptions.direction).map((issue) => `${line.skuCode}: ${t(issue, quantityValues(line))}`),
        );
  return (
    <div data-testid={target.mode === "edit" ? "draft-editor" : undefined}>
      {stale && target.mode === "edit" && <StaleVersionAlert onReload={target.onReload} />}
      <Form<DraftHeader<P>>
        form={form}
        layout="vertical"
        initialValues={initial?.header}
        onValuesChange={(changed) => {
          if (warehouseField in changed) {
            setLines((lines) => clearWarehouseFields(lines, (line) => isInbound(line, lineOptions.direction)));
          }
        }}
      >
        <Row gutter={16}>{fields(warehouses, Item)}</Row>
      </Form>
      {shortages.length > 0 && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setShortages([])}
          style={{ marginBottom: 8 }}
          message={t("lines.shortTitle", { count: shortages.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {shortages.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          }
          data-testid="shortage-alert"
        />
      )}
      <ScanLinesEditor scan={scan} warehouseId={warehouseId} />
      <Space style={{ marginTop: 16 }} wrap>
        {target.mode === "edit" ? (
          <>
            <Button
              type="primary"
              disabled={disabled}
              loading={save.isPending}
              onClick={() => save.mutate({ post: false })}
              data-testid="draft-save"
            >
              {t("common.save")}
            </Button>
            <Button onClick={target.onDone} data-testid="draft-cancel">
              {t("common.cancel")}
            </Button>
          </>
        ) : target.post ? (
          <>
            <Button disabled={disabled} loading={save.isPending} onClick={() => save.mutate({ post: false })}>
              {t("doc.saveDraft")}
            </Button>
            <Button
              type="primary"
              disabled={disabled}
              loading={save.isPending}
              onClick={() => save.mutate({ post: true })}
              data-testid="save-and-post"
            >
              {t("doc.saveAndPost")}
            </Button>
          </>
        ) : (
          <Button
            type="primary"
            disabled={disabled}
            loading={save.isPending}
            onClick={() => save.mutate({ post: false })}
            data-testid={target.saveTestId}
          >
            {t("common.save")}
          </Button>
        )}
        {disabled && blocked.length > 0 && (
          <Typography.Text type="secondary" data-testid="save-blocked">
            {t("doc.cannotSave", { reasons: blocked.slice(0, 3).join(t("doc.reasonSeparator")) })}
            {blocked.length > 3 ? ` …(+${blocked.length - 3})` : ""}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
