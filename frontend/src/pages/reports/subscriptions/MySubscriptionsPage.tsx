// 我的订阅 / My subscriptions: the user's report subscriptions — schedule, recipients, next and
// last send, the last error — with edit, pause/resume, send now and delete. An administrator
// may show everyone's (read only: each owner changes his own).
import { useState } from "react";
import { App as AntApp, Button, Card, Popconfirm, Space, Switch, Tag, Tooltip, Typography } from "antd";
import { DeleteOutlined, EditOutlined, PauseOutlined, PlayCircleOutlined, SendOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../../api/http";
import { showError } from "../../../api/errors";
import { useList } from "../../../api/useList";
import type { ReportSubscriptionRow } from "../../../api/contract";
import { hasPermission } from "../../../auth/access";
import { useAuth } from "../../../auth/auth";
import { ListTable } from "../../../components/ListTable";
import { REPORT_LABELS, scheduleText } from "./labels";
import { SUBSCRIPTIONS_API, SubscriptionModal } from "./SubscriptionModal";

/** "2026-12-07T08:00:00+08:00" as "2026-12-07 08:00" (the company's time as the server sends it). */
function shortTime(value: string | null): string {
  return value ? value.slice(0, 16).replace("T", " ") : "—";
}

export function MySubscriptionsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { me } = useAuth();
  const seesAll = hasPermission(me, "reports.view_reportsubscription");
  const [all, setAll] = useState(false);
  const list = useList("/api/v1/report-subscriptions/", { all: all || undefined });
  const [editing, setEditing] = useState<ReportSubscriptionRow | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: [SUBSCRIPTIONS_API] });
  const act = useMutation({
    mutationFn: async ({ id, action }: { id: number; action: "activate" | "deactivate" | "delete" }) => {
      const params = { params: { path: { id } }, headers: idempotent() };
      if (action === "delete") return ok(client.DELETE("/api/v1/report-subscriptions/{id}/", params));
      if (action === "activate") return ok(client.POST("/api/v1/report-subscriptions/{id}/activate/", params));
      return ok(client.POST("/api/v1/report-subscriptions/{id}/deactivate/", params));
    },
    onSuccess: refresh,
    onError: (error) => showError(error, t, message),
  });
  const sendNow = useMutation({
    mutationFn: (id: number) => ok(client.POST("/api/v1/report-subscriptions/{id}/send-now/", { params: { path: { id } }, headers: idempotent() })),
    onSuccess: async (result) => {
      const error = result.subscription.last_error;
      if (result.outcome === "sent") void message.success(t("subscriptions.sent", { to: result.subscription.recipients.join(", ") }));
      else if (result.outcome === "paused") void message.warning(t("subscriptions.sendPaused", { error }));
      else void message.error(t("subscriptions.sendFailed", { error }));
      await refresh();
    },
    onError: (error) => showError(error, t, message),
  });
  const mine = (row: ReportSubscriptionRow) => row.owner === me?.id;

  return (
    <Card
      title={all ? t("subscriptions.allTitle") : t("subscriptions.myTitle")}
      extra={
        seesAll && (
          <Space>
            <Switch checked={all} onChange={(checked) => { setAll(checked); list.resetPage(); }} data-testid="subscriptions-all" />
            {t("subscriptions.showAll")}
          </Space>
        )
      }
    >
      {list.query.data && list.query.data.count === 0 && !all ? (
        <Typography.Paragraph type="secondary" data-testid="subscriptions-empty">
          {t("subscriptions.empty")}
        </Typography.Paragraph>
      ) : null}
      <ListTable<ReportSubscriptionRow>
        list={list}
        testId="subscriptions-table"
        size="small"
        rowKey="id"
        pagination={list.pagination(t)}
        cardTitle={(row) => t(REPORT_LABELS[row.report])}
        columns={[
          { title: t("subscriptions.report"), key: "report", render: (_v, row) => t(REPORT_LABELS[row.report]) },
          ...(all ? [{ title: t("subscriptions.owner"), key: "owner", render: (_v: unknown, row: ReportSubscriptionRow) => row.owner_username }] : []),
          {
            title: t("subscriptions.filters"),
            key: "filters",
            render: (_v, row) =>
              row.filter_labels.length || row.period_label ? (
                <Space wrap size={2}>
                  {row.period_label ? (
                    <Tag color="blue" key="period" data-testid="subscription-period">
                      {`${t("subscriptions.period")}: ${row.period_label}`}
                    </Tag>
                  ) : null}
                  {row.filter_labels.map((f) => (
                    <Tag key={f.key} data-testid="subscription-filter">{`${f.label}: ${f.value}`}</Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("subscriptions.noFilters")}</Typography.Text>
              ),
          },
          { title: t("subscriptions.schedule"), key: "schedule", render: (_v, row) => scheduleText(t, row) },
          { title: t("subscriptions.recipients"), key: "recipients", render: (_v, row) => row.recipients.join(", ") },
          {
            title: t("subscriptions.status"),
            key: "status",
            render: (_v, row) => (
              <Space direction="vertical" size={0}>
                {row.is_active ? <Tag color="green">{t("subscriptions.active")}</Tag> : <Tag>{t("subscriptions.paused")}</Tag>}
                {row.last_error ? <Typography.Text type="danger">{row.last_error}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t("subscriptions.nextSend"), key: "next", render: (_v, row) => shortTime(row.next_send_at) },
          { title: t("subscriptions.lastSent"), key: "last", render: (_v, row) => shortTime(row.last_sent_at) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_v, row) =>
              mine(row) ? (
                <Space size={4} wrap>
                  <Tooltip title={t("common.edit")}>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(row)} aria-label={t("common.edit")} data-testid="subscription-edit" />
                  </Tooltip>
                  {row.is_active ? (
                    <Button size="small" icon={<PauseOutlined />} onClick={() => act.mutate({ id: row.id, action: "deactivate" })} data-testid="subscription-pause">
                      {t("subscriptions.pause")}
                    </Button>
                  ) : (
                    <Button size="small" icon={<PlayCircleOutlined />} onClick={() => act.mutate({ id: row.id, action: "activate" })} data-testid="subscription-resume">
                      {t("subscriptions.resume")}
                    </Button>
                  )}
                  <Button
                    size="small"
                    icon={<SendOutlined />}
                    loading={sendNow.isPending && sendNow.variables === row.id}
                    onClick={() => sendNow.mutate(row.id)}
                    data-testid="subscription-send-now"
                  >
                    {t("subscriptions.sendNow")}
                  </Button>
                  <Popconfirm title={t("common.confirm")} onConfirm={() => act.mutate({ id: row.id, action: "delete" })}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("subscriptions.remove")} data-testid="subscription-delete" />
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      {editing && <SubscriptionModal report={editing.report} filters={editing.filters} subscription={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
