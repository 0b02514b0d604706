import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { TransferForm } from "./TransferForm";

export function TransferCreatePage() {
  const { t } = useTranslation();
  return (
    <Card title={t("transfer.create")}>
      <TransferForm />
    </Card>
  );
}
