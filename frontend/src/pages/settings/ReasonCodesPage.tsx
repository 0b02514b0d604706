// 系统设置 → 出入库类别: the reasons a stock-in, stock-out, adjustment or scrap is made for
// (head office). A reason documents use keeps its kind and code; it is deactivated, not deleted.
import { useState } from "react";
import { App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Tag } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import type { ReasonCodeRow, ReasonCodeWrite } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { ListTable } from "../../components/ListTable";
import { STOCK_KINDS } from "../stock-docs/kinds";

const API = "/api/v1/reason-codes/";

function ReasonModal({ reason, onClose }: { reason: ReasonCodeRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReasonCodeWrite>();
  const fixed = !!reason?.in_use;
  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return reason
        ? ok(client.PATCH("/api/v1/reason-codes/{id}/", { params: { path: { id: reason.id } }, body: values, headers: idempotent() }))
        : ok(client.POST("/api/v1/reason-codes/", { body: values, headers: idempotent() }));
    },
    onSuccess: async () => {
      message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: [API] });
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  return (
    <Modal
      open
      title={reason ? `${reason.code} ${reason.name}` : t("sysSettings.reasonCreate")}
      onCancel={onClose}
      onOk={() => save.mutate()}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "reason-save" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" initialValues={reason ?? { kind: "scrap", active: true }}>
        <Form.Item name="kind" label={t("sysSettings.reasonKind")} rules={[{ required: true, message: t("common.required") }]}>
          <Select
            disabled={fixed}
            options={STOCK_KINDS.map((kind) => ({ value: kind.kind, label: t(kind.menuTitle) }))}
          />
        </Form.Item>
        <Form.Item
          name="code"
          label={t("sysSettings.reasonCode")}
          extra={fixed ? t("sysSettings.reasonFixed") : undefined}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Input maxLength={32} disabled={fixed} data-testid="reason-code" />
        </Form.Item>
        <Form.Item name="name" label={t("sysSettings.reasonName")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={100} data-testid="reason-name" />
        </Form.Item>
        <Form.Item name="active" label={t("sysSettings.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ReasonCodesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { can } = useAuth();
  const editable = can("reasonCodesEdit");
  const [kind, setKind] = useState<ReasonCodeRow["kind"] | undefined>();
  const query = useQuery({
    queryKey: [API, "settings", kind],
    queryFn: () => ok(client.GET("/api/v1/reason-codes/", { params: { query: { kind } } })),
  });
  const [editing, setEditing] = useState<ReasonCodeRow | null | undefined>(undefined);
  const remove = useMutation({
    mutationFn: (id: number) => client.DELETE("/api/v1/reason-codes/{id}/", { params: { path: { id: id } }, headers: idempotent() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [API] });
    },
    onError: (error) => showError(error, t, message),
  });
  const kindTitle = (value: string) => {
    const config = STOCK_KINDS.find((k) => k.kind === value);
    return config ? t(config.menuTitle) : value;
  };
  return (
    <Card
      title={t("sysSettings.reasonsTitle")}
      extra={
        editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="reason-create">
            {t("common.create")}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t("sysSettings.reasonKind")}
          style={{ width: 180 }}
          value={kind}
          onChange={setKind}
          options={STOCK_KINDS.map((k) => ({ value: k.kind, label: t(k.menuTitle) }))}
        />
      </Space>
      <ListTable<ReasonCodeRow>
        list={{ query, rows: query.data ?? [] }}
        testId="reasons-table"
        size="small"
        pagination={false}
        cardTitle={(row) => `${row.code} ${row.name}`}
        columns={[
          { title: t("sysSettings.reasonKind"), dataIndex: "kind", key: "kind", render: (value: string) => kindTitle(value) },
          { title: t("sysSettings.reasonCode"), dataIndex: "code", key: "code" },
          { title: t("sysSettings.reasonName"), dataIndex: "name", key: "name" },
          {
            title: t("sysSettings.status"),
            key: "active",
            render: (_v, row) => (
              <Space size={4}>
                {row.active ? <Tag color="green">{t("sysSettings.active")}</Tag> : <Tag>{t("sysSettings.inactive")}</Tag>}
                {row.in_use && <Tag>{t("sysSettings.inUse")}</Tag>}
              </Space>
            ),
          },
          ...(editable
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_v: unknown, row: ReasonCodeRow) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(row)}>
                        {t("common.edit")}
                      </Button>
                      {!row.in_use && (
                        <Popconfirm title={t("common.confirm")} onConfirm={() => remove.mutate(row.id)}>
                          <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("sysSettings.reasonDelete")} />
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && <ReasonModal reason={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
