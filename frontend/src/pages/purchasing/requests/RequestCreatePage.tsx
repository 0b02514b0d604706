import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { RequestForm } from "./RequestForm";

export function RequestCreatePage() {
  const { t } = useTranslation();
  return (
    <Card title={t("purchaseRequest.create")}>
      <RequestForm />
    </Card>
  );
}
