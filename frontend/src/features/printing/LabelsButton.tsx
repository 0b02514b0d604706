// "Print labels" for a document: one label per unit of each line, size chosen in a small menu.
import { useState } from "react";
import { App, Button, Dropdown } from "antd";
import { BarcodeOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { LabelPrint } from "../../api/contract";
import { showError } from "../../api/errors";
import { LABEL_SIZES, fetchLabelsPdf, openPendingTab, showPdf, type LabelSize } from "./print";

export function LabelsButton({
  documentType,
  documentId,
}: {
  documentType: NonNullable<LabelPrint["document_type"]>;
  documentId: number;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const print = async (size: LabelSize) => {
    const tab = openPendingTab();
    setBusy(true);
    try {
      const pdf = await fetchLabelsPdf(
        { document_type: documentType, document_id: documentId, size, show_price: true },
        i18n.language,
      );
      showPdf(pdf, tab);
    } catch (error) {
      tab?.close();
      showError(error, t, message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items: LABEL_SIZES.map((size) => ({ key: size, label: t(`printing.size.${size}`) })),
        onClick: ({ key }) => void print(key as LabelSize),
      }}
    >
      <Button icon={<BarcodeOutlined />} loading={busy} data-testid="print-labels">
        {t("printing.labels")}
      </Button>
    </Dropdown>
  );
}
