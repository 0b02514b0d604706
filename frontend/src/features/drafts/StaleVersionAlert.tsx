// Shown when saving a draft answered 409 stale_version: reload the latest version.
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";

export function StaleVersionAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      message={t("draft.staleTitle")}
      description={t("draft.staleText")}
      data-testid="stale-version"
      action={
        <Button size="small" type="primary" onClick={onReload} data-testid="stale-reload">
          {t("draft.reload")}
        </Button>
      }
    />
  );
}
