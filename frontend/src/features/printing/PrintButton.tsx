// "打印 / Print": opens the server-side PDF of a document in a new tab.
import { Button } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { documentPdfUrl } from "./print";

export function PrintButton({ url }: { url: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Button
      icon={<PrinterOutlined />}
      href={documentPdfUrl(url, i18n.language)}
      target="_blank"
      rel="noopener"
      data-testid="print-document"
    >
      {t("printing.print")}
    </Button>
  );
}
