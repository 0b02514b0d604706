// Import an .xlsx/.csv file into a resource (`<api>import/`): a summary when it worked, the
// errors of each row (row number, field, messages) when it did not; nothing is saved then.
import { useState } from "react";
import { App as AntApp, Button, Modal, Table, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, upload } from "../api/http";
import { errorMessage } from "../api/errors";
import type { components } from "../api/schema";
import { rowErrors, type RowError } from "./rowErrors";

type ImportResult = components["schemas"]["ImportResult"];

export function ImportButton({ api }: { api: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<RowError[] | null>(null);

  const send = async (file: File) => {
    const form = new FormData();
    form.append("file", file);
    setBusy(true);
    try {
      const result = await upload<ImportResult>(`${api}import/`, form);
      message.success(t("import.done", { created: result.created, updated: result.updated }));
      await queryClient.invalidateQueries();
    } catch (error) {
      const rows = error instanceof ApiError ? rowErrors(error.details) : [];
      if (rows.length) setErrors(rows);
      else message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Upload
        accept=".xlsx,.csv"
        showUploadList={false}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid="import-button">
          {t("import.button")}
        </Button>
      </Upload>
      {errors && (
        <Modal
          open
          title={t("import.failed")}
          onCancel={() => setErrors(null)}
          footer={<Button onClick={() => setErrors(null)}>{t("common.back")}</Button>}
          width={640}
        >
          <Table<RowError>
            rowKey="key"
            size="small"
            dataSource={errors}
            pagination={false}
            scroll={{ y: 360 }}
            data-testid="import-errors"
            columns={[
              { title: t("import.row"), dataIndex: "row", width: 70 },
              { title: t("import.field"), dataIndex: "field", width: 140 },
              { title: t("import.messages"), dataIndex: "messages" },
            ]}
          />
        </Modal>
      )}
    </>
  );
}
