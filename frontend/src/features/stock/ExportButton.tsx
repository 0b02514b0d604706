// Export every row of a stock list (all pages with the current filters) as a CSV file.
import { useState } from "react";
import { App, Button } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { Query } from "../../api/http";
import { showError } from "../../api/errors";
import { downloadText, toCsv, type CsvColumn } from "./csv";
import { fetchAllRows } from "./queries";

export function ExportButton<T>({
  url,
  query,
  columns,
  filename,
  disabled,
}: {
  url: string;
  query: Query;
  columns: CsvColumn<T>[];
  filename: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const rows = await fetchAllRows<T>(url, query);
      downloadText(toCsv(rows, columns), `${filename}.csv`);
      void message.success(t("stockPages.exported", { count: rows.length }));
    } catch (error) {
      showError(error, t, message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} onClick={() => void run()} data-testid="export">
      {t("stockPages.exportCsv")}
    </Button>
  );
}
