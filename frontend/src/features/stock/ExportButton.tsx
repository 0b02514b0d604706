// Export a stock list (every row with the current filters and sorting) as a file the server
// builds: an Excel workbook by default, or a CSV table.
import { useState } from "react";
import { App, Button, Dropdown } from "antd";
import { DownOutlined, DownloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { Query } from "../../api/http";
import type { MessageKey } from "../../i18n/keys";
import { showError } from "../../api/errors";
import { downloadFile, exportUrl, type ExportFormat } from "./download";

const EXPORT_LABELS: Record<ExportFormat, MessageKey> = {
  xlsx: "stockPages.exportXlsx",
  csv: "stockPages.exportCsv",
  pdf: "stockPages.exportPdf",
};

export function ExportButton({
  url,
  query,
  filename,
  disabled,
  formats = ["xlsx", "csv"],
}: {
  /** The list's URL, e.g. "/api/v1/stock-balances/"; its export is `${url}export/`. */
  url: string;
  query: Query;
  /** The name used when the server gives none (without extension). */
  filename: string;
  disabled?: boolean;
  /** The formats offered (the reports also print PDF). */
  formats?: ExportFormat[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const name = await downloadFile(exportUrl(url, format, query), `${filename}.${format}`);
      void message.success(t("stockPages.exported", { name }));
    } catch (error) {
      showError(error, t, message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      disabled={disabled || busy}
      trigger={["click"]}
      menu={{
        items: formats.map((format) => ({
          key: format,
          label: <span data-testid={`export-${format}`}>{t(EXPORT_LABELS[format])}</span>,
        })),
        onClick: ({ key }) => void run(key as ExportFormat),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} data-testid="export">
        {t("stockPages.export")} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
