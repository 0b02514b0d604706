// The subscription form: a new subscription of a report with the page's filters, or an existing
// one to edit (My subscriptions). Frequency, weekday or day of month, hour (company time zone),
// the report period (reports over a period), the e-mail language and extra recipients.
import { Alert, App as AntApp, Form, InputNumber, Modal, Select, Space, Tag, Typography } from "antd";
import { useAuth } from "../../../auth/auth";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import type { ReportSubscriptionRow, ReportSubscriptionWrite, SubscribableReport } from "../../../api/contract";
import { LANGUAGE_LABELS, PERIOD_REPORTS, REPORT_LABELS, WEEKDAYS, weekdayLabel } from "./labels";

export const SUBSCRIPTIONS_API = "/api/v1/report-subscriptions/";

type FormValues = Omit<ReportSubscriptionWrite, "report" | "filters">;

export function SubscriptionModal({
  report,
  filters,
  subscription,
  onClose,
}: {
  report: SubscribableReport;
  filters: Record<string, unknown>;
  /** The subscription edited; none: a new one. */
  subscription?: ReportSubscriptionRow;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const frequency = Form.useWatch("frequency", form);
  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      const body: ReportSubscriptionWrite = {
        ...values,
        weekday: values.frequency === "weekly" ? values.weekday : null,
        day_of_month: values.frequency === "monthly" ? values.day_of_month : null,
        report,
        filters,
      };
      return subscription
        ? ok(client.PATCH("/api/v1/report-subscriptions/{id}/", { params: { path: { id: subscription.id } }, body, headers: idempotent() }))
        : ok(client.POST("/api/v1/report-subscriptions/", { body, headers: idempotent() }));
    },
    onSuccess: async () => {
      void message.success(subscription ? t("common.saved") : t("subscriptions.created"));
      await queryClient.invalidateQueries({ queryKey: [SUBSCRIPTIONS_API] });
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  const initial: FormValues = subscription
    ? {
        frequency: subscription.frequency,
        weekday: subscription.weekday,
        day_of_month: subscription.day_of_month,
        hour: subscription.hour,
        period: subscription.period,
        language: subscription.language,
        extra_recipients: subscription.extra_recipients,
      }
    : {
        frequency: "daily",
        weekday: 0,
        day_of_month: 1,
        hour: 8,
        period: "previous",
        language: i18n.language.startsWith("en") ? "en" : "zh-hans",
        extra_recipients: [],
      };
  const shown = Object.entries(filters).filter(([, value]) => value !== undefined && value !== null && value !== "");
  // the filters for people (仓库: CW 中央仓), as My subscriptions shows them; the raw ones until then
  const labels = useQuery({
    queryKey: [SUBSCRIPTIONS_API, "filter-labels", report, filters, i18n.language],
    enabled: !subscription && shown.length > 0,
    queryFn: () =>
      ok(client.POST("/api/v1/report-subscriptions/filter-labels/", { body: { report, filters: Object.fromEntries(shown) }, headers: idempotent() })),
    retry: false,
  });
  const tags: { key: string; text: string }[] =
    subscription?.filter_labels.map((f) => ({ key: f.key, text: `${f.label}: ${f.value}` })) ??
    labels.data?.filter_labels.map((f) => ({ key: f.key, text: `${f.label}: ${f.value}` })) ??
    shown.map(([key, value]) => ({ key, text: `${key}: ${String(value)}` }));
  return (
    <Modal
      open
      title={t("subscriptions.subscribeTitle", { report: t(REPORT_LABELS[report]) })}
      onCancel={onClose}
      onOk={() => save.mutate()}
      confirmLoading={save.isPending}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": "subscription-save" } as Record<string, string>}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        {me && !me.email ? (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t("user.noEmailForSubscriptions")} data-testid="subscription-no-email" />
        ) : null}
        <Form.Item label={t("subscriptions.filters")} extra={t("subscriptions.filtersHint")}>
          {shown.length ? (
            <Space wrap size={4} data-testid="subscription-filters">
              {tags.map((tag) => (
                <Tag key={tag.key}>{tag.text}</Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t("subscriptions.noFilters")}</Typography.Text>
          )}
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="frequency" label={t("subscriptions.frequency")} rules={[{ required: true, message: t("common.required") }]}>
            <Select
              style={{ width: 120 }}
              data-testid="subscription-frequency"
              options={(["daily", "weekly", "monthly"] as const).map((f) => ({ value: f, label: t(`subscriptions.frequency_${f}`) }))}
            />
          </Form.Item>
          {frequency === "weekly" && (
            <Form.Item name="weekday" label={t("subscriptions.weekday")} rules={[{ required: true, message: t("common.required") }]}>
              <Select style={{ width: 120 }} options={WEEKDAYS.map((d) => ({ value: d, label: weekdayLabel(t, d) }))} />
            </Form.Item>
          )}
          {frequency === "monthly" && (
            <Form.Item
              name="day_of_month"
              label={t("subscriptions.dayOfMonth")}
              tooltip={t("subscriptions.dayOfMonthHint")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <InputNumber min={1} max={31} precision={0} style={{ width: 100 }} />
            </Form.Item>
          )}
          <Form.Item
            name="hour"
            label={t("subscriptions.hour")}
            tooltip={t("subscriptions.hourHint")}
            rules={[{ required: true, message: t("common.required") }]}
          >
            <InputNumber min={0} max={23} precision={0} style={{ width: 100 }} data-testid="subscription-hour" />
          </Form.Item>
        </Space>
        {PERIOD_REPORTS.has(report) && (
          <Form.Item name="period" label={t("subscriptions.period")}>
            <Select options={(["previous", "month_to_date"] as const).map((p) => ({ value: p, label: t(`subscriptions.period_${p}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="language" label={t("subscriptions.language")}>
          <Select
            style={{ width: 160 }}
            options={(["zh-hans", "en"] as const).map((l) => ({ value: l, label: t(LANGUAGE_LABELS[l]) }))}
          />
        </Form.Item>
        <Form.Item name="extra_recipients" label={t("subscriptions.extraRecipients")} extra={t("subscriptions.extraRecipientsHint")}>
          <Select mode="tags" open={false} tokenSeparators={[",", " ", ";"]} data-testid="subscription-recipients" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
