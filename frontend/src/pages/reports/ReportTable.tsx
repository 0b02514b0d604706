// The table of a report page, and the API's refusal above it: a bookmarked or shared URL whose
// filters the API refuses (an end before the start, 2026-02-30, a warehouse outside the user's
// stores) shows the API's message in an Alert, not an empty "no data" table. The filters stay as
// they are in the URL, to be corrected.
import { Alert, Button, Table, type TableProps } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/http";
import { errorMessage } from "../../api/errors";

/** The messages of an API error: its message, then its field messages it does not already say. */
export function reportErrorLines(error: unknown, message: string): string[] {
  const lines = [message];
  if (error instanceof ApiError) {
    for (const messages of Object.values(error.fields ?? {})) {
      for (const text of messages) if (!lines.includes(text)) lines.push(text);
    }
  }
  return lines;
}

/** The API's error of a report (or the dashboard), with retry; nothing without an error. */
export function ReportError({ error, onRetry }: { error: unknown; onRetry?: () => unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const [message, ...details] = reportErrorLines(error, errorMessage(error, t));
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      message={`${t("pageState.reportFailed")} ${message}`}
      description={details.length ? details.join(" ") : undefined}
      action={
        onRetry ? (
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void onRetry()} data-testid="report-retry">
            {t("pageState.retry")}
          </Button>
        ) : undefined
      }
      data-testid="report-error"
    />
  );
}

interface ReportList<T> {
  query: { isFetching: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  rows: T[];
}

/** A report's table: its rows from `list` (useList's result), the API's error above it. */
export function ReportTable<T extends object>({ list, ...props }: Omit<TableProps<T>, "dataSource" | "loading"> & { list: ReportList<T> }) {
  return (
    <>
      <ReportError error={list.query.isError ? list.query.error : null} onRetry={list.query.refetch} />
      <Table<T> {...props} loading={list.query.isFetching} dataSource={list.rows} />
    </>
  );
}
