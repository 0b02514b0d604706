// "订阅 / Subscribe" next to a report's export button: opens the subscription form with the
// page's current filters (the period is the subscription's own choice, so the dates are left out).
import { useState } from "react";
import { Button } from "antd";
import { MailOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { Query } from "../../../api/http";
import type { SubscribableReport } from "../../../api/contract";
import { SubscriptionModal } from "./SubscriptionModal";

const NOT_FILTERS = new Set(["date_from", "date_to", "page", "page_size", "format"]);

/** The page's query as subscription filters: no dates or paging, no empty values. */
export function subscriptionFilters(query: Query): Record<string, string | number | boolean> {
  const filters: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query)) {
    if (NOT_FILTERS.has(key) || value === undefined || value === null || value === "") continue;
    filters[key] = value;
  }
  return filters;
}

export function SubscribeButton({ report, query }: { report: SubscribableReport; query: Query }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<MailOutlined />} onClick={() => setOpen(true)} data-testid="subscribe">
        {t("subscriptions.subscribe")}
      </Button>
      {open && <SubscriptionModal report={report} filters={subscriptionFilters(query)} onClose={() => setOpen(false)} />}
    </>
  );
}
