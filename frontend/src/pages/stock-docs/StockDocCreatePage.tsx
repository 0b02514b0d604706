import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { kindConfig, type StockKind } from "./kinds";
import { StockDocForm } from "./StockDocForm";

export function StockDocCreatePage({ kind }: { kind: StockKind }) {
  const { t } = useTranslation();
  return (
    <Card title={t(`docKind.${kind}.create`)}>
      <StockDocForm config={kindConfig(kind)} />
    </Card>
  );
}
