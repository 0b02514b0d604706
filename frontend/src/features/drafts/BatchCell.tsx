// A saved line's batch and expiry date on a document's page (expired ones marked); a
// batch-tracked line without a batch says the server allocates first-expiry-first-out.
import { Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { todayIn } from "../stock/companyTime";
import { expiryLevel } from "../stock/expiry";
import { useCompanyTimeZone } from "../stock/queries";

export function BatchCell({
  line,
}: {
  line: { sku_code: string; batch_no: string; expiry_date: string | null; tracking?: string };
}) {
  const { t } = useTranslation();
  const today = todayIn(useCompanyTimeZone());
  if (!line.batch_no) {
    return line.tracking === "batch" ? <Typography.Text type="secondary">{t("lines.fefo")}</Typography.Text> : null;
  }
  const expired = expiryLevel(line.expiry_date, today) === "expired";
  return (
    <span data-testid={`line-batch-${line.sku_code}`}>
      {line.batch_no}
      {line.expiry_date && (
        <Typography.Text type={expired ? "danger" : "secondary"}>
          {" · "}
          {t("lines.expires", { date: line.expiry_date })}
        </Typography.Text>
      )}
      {expired && (
        <Tag color="red" style={{ marginLeft: 6 }}>
          {t("lines.expired")}
        </Tag>
      )}
    </span>
  );
}
