// Import an .xlsx/.csv file into a resource (`<api>import/`). A small file answers at once; a
// large one (more than 2,000 rows) becomes a background job whose progress is shown until it
// ends. When rows are refused nothing is saved, the rows are listed (number, code, field,
// errors), and the user chooses: fix the file, or import the valid rows only; the refused rows
// can be downloaded as a file (with their row number and errors) to correct and import again.
import { useEffect, useRef, useState } from "react";
import { Alert, App as AntApp, Button, Modal, Progress, Space, Table, Typography, Upload } from "antd";
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, ok, upload } from "../api/http";
import { errorMessage } from "../api/errors";
import type { components } from "../api/schema";
import { rowErrors, type RowError } from "./rowErrors";

type ImportResult = components["schemas"]["ImportResult"];
type ImportJob = components["schemas"]["ImportJob"];
type OnError = "refuse_all" | "skip_invalid";

interface Warning {
  row: number;
  code: string;
  message: string;
}

/** What the dialog shows: a job running, a result, or the refused rows of a refused file. */
type View =
  | { kind: "running"; job: ImportJob }
  | { kind: "done"; result: ImportResult; job: number | null }
  | { kind: "refused"; errors: RowError[]; count: number; job: number | null };

const POLL_MS = 1000;

function refusedUrl(job: number | null): string | null {
  return job === null ? null : `/api/v1/import-jobs/${job}/refused/`;
}

function warningsOf(value: unknown): Warning[] {
  return Array.isArray(value) ? (value as Warning[]) : [];
}

export function ImportButton({ api }: { api: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<View | null>(null);
  const file = useRef<File | null>(null);
  const polling = useRef<number | null>(null);

  useEffect(
    () => () => {
      if (polling.current !== null) window.clearTimeout(polling.current);
    },
    [],
  );

  const finished = async (result: ImportResult, job: number | null) => {
    await queryClient.invalidateQueries();
    if (result.refused || result.warning_count) setView({ kind: "done", result, job });
    else {
      setView(null);
      message.success(t("import.done", { created: result.created, updated: result.updated }));
    }
  };

  const refused = (error: ApiError) => {
    const errors = rowErrors(error.details);
    if (!errors.length) {
      setView(null);
      message.error(errorMessage(error, t));
      return;
    }
    const count = typeof error.details.count === "number" ? error.details.count : errors.length;
    const job = typeof error.details.job === "number" ? error.details.job : null;
    setView({ kind: "refused", errors, count, job });
  };

  const follow = (job: ImportJob) => {
    setView({ kind: "running", job });
    polling.current = window.setTimeout(async () => {
      try {
        const next = await ok(client.GET("/api/v1/import-jobs/{id}/", { params: { path: { id: job.id } } }));
        const answer = next.result as Record<string, unknown>;
        if (next.status === "done") await finished(answer as unknown as ImportResult, next.id);
        else if (next.status === "refused" || next.status === "failed") {
          refused(
            new ApiError(400, {
              code: String(answer.code ?? "import_failed"),
              message: String(answer.message ?? ""),
              fields: {},
              details: (answer.details as Record<string, unknown>) ?? {},
            }),
          );
        } else follow(next);
      } catch (error) {
        setView(null);
        message.error(errorMessage(error, t));
      }
    }, POLL_MS);
  };

  const send = async (onError: OnError) => {
    if (!file.current) return;
    const form = new FormData();
    form.append("file", file.current);
    form.append("on_error", onError);
    setBusy(true);
    try {
      const answer = await upload<ImportResult | ImportJob>(`${api}import/`, form);
      if ("status" in answer) follow(answer);
      else await finished(answer, answer.job);
    } catch (error) {
      if (error instanceof ApiError) refused(error);
      else message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (polling.current !== null) window.clearTimeout(polling.current);
    setView(null);
  };

  const download = (job: number | null) => {
    const url = refusedUrl(job);
    return url ? (
      <Button icon={<DownloadOutlined />} href={url} data-testid="import-refused-download">
        {t("import.downloadRefused")}
      </Button>
    ) : null;
  };

  let body: React.ReactNode = null;
  let footer: React.ReactNode = null;
  let title = "";
  if (view?.kind === "running") {
    const { rows_done: done, rows_total: total } = view.job;
    title = t("import.running");
    body = (
      <Space direction="vertical" style={{ width: "100%" }} data-testid="import-progress">
        <Progress percent={total ? Math.min(99, Math.floor((done / total) * 100)) : 0} />
        <Typography.Text type="secondary">
          {t("import.progress", { done: done.toLocaleString(), total: (total ?? 0).toLocaleString() })}
        </Typography.Text>
        <Typography.Text type="secondary">{t("import.background")}</Typography.Text>
      </Space>
    );
    footer = <Button onClick={close}>{t("import.hide")}</Button>;
  } else if (view?.kind === "done") {
    const { result } = view;
    const warnings = warningsOf(result.warnings);
    title = t("import.finished");
    body = (
      <Space direction="vertical" style={{ width: "100%" }} data-testid="import-result">
        <Alert
          type={result.refused ? "warning" : "success"}
          showIcon
          message={t("import.summary", {
            created: result.created,
            updated: result.updated,
            refused: result.refused,
          })}
        />
        {warnings.length > 0 && (
          <Table<Warning>
            rowKey={(w) => `${w.row}:${w.message}`}
            size="small"
            dataSource={warnings}
            pagination={false}
            scroll={{ y: 240 }}
            data-testid="import-warnings"
            title={() => t("import.warnings", { count: result.warning_count })}
            columns={[
              { title: t("import.row"), dataIndex: "row", width: 70 },
              { title: t("import.code"), dataIndex: "code", width: 120 },
              { title: t("import.messages"), dataIndex: "message" },
            ]}
          />
        )}
      </Space>
    );
    footer = (
      <Space>
        {download(view.job)}
        <Button type="primary" onClick={close}>
          {t("common.back")}
        </Button>
      </Space>
    );
  } else if (view?.kind === "refused") {
    title = t("import.failed");
    body = (
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text>{t("import.refusedRows", { count: view.count })}</Typography.Text>
        <Table<RowError>
          rowKey="key"
          size="small"
          dataSource={view.errors}
          pagination={false}
          scroll={{ y: 360 }}
          data-testid="import-errors"
          columns={[
            { title: t("import.row"), dataIndex: "row", width: 70 },
            { title: t("import.code"), dataIndex: "code", width: 110 },
            { title: t("import.field"), dataIndex: "field", width: 130 },
            { title: t("import.messages"), dataIndex: "messages" },
          ]}
        />
      </Space>
    );
    footer = (
      <Space wrap>
        {download(view.job)}
        <Button
          type="primary"
          loading={busy}
          onClick={() => void send("skip_invalid")}
          data-testid="import-valid-rows"
        >
          {t("import.importValid")}
        </Button>
        <Button onClick={close}>{t("common.back")}</Button>
      </Space>
    );
  }

  return (
    <>
      <Upload
        accept=".xlsx,.csv"
        showUploadList={false}
        beforeUpload={(picked) => {
          file.current = picked;
          void send("refuse_all");
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid="import-button">
          {t("import.button")}
        </Button>
      </Upload>
      {view && (
        <Modal open title={title} onCancel={close} footer={footer} width={720} maskClosable={false}>
          {body}
        </Modal>
      )}
    </>
  );
}
