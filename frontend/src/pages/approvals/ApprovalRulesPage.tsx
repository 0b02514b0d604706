// 审批规则 (administrators): when a document needs approval and by whom — a document type and
// kind, conditions (amount above, quantity above, store, supplier, category) and the levels
// (role and scope) in order. Built-in rules can be changed or deactivated, not deleted.
import { useState } from "react";
import {
  App as AntApp,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from "antd";
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ApprovalRuleRow, ApprovalRuleWrite } from "../../api/contract";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import { useList, fetchAllOf, type ListPathFor } from "../../api/useList";
import { useAuth } from "../../auth/auth";
import { LoadFailed } from "../../components/LoadFailed";
import { roleName } from "../../features/approvals/ApprovalHistory";
import { ROLES } from "../../features/approvals/links";
import { formatAmountGrouped, formatQty } from "../../lib/format";

const API = "/api/v1/approval-rules/";

interface Named {
  id: number;
  code: string;
  name: string;
}

function useOptions(url: ListPathFor<Named>) {
  return useQuery({
    queryKey: [url, "options"],
    queryFn: () => fetchAllOf<Named>(url),
    select: (page) => page.results.map((row) => ({ value: row.id, label: `${row.code} ${row.name}` })),
    staleTime: 60_000,
  });
}

type RuleValues = Omit<ApprovalRuleWrite, "amount_above" | "quantity_above"> & {
  amount_above?: number | null;
  quantity_above?: number | null;
};

function toValues(rule: ApprovalRuleRow | null): Partial<RuleValues> {
  if (!rule) {
    return {
      document_type: "stockdocument",
      document_kind: "",
      active: true,
      levels: [{ sequence: 1, role: "store_manager", scope: "document_store" }],
    };
  }
  return {
    ...rule,
    amount_above: rule.amount_above === null || rule.amount_above === undefined ? null : Number(rule.amount_above),
    quantity_above:
      rule.quantity_above === null || rule.quantity_above === undefined ? null : Number(rule.quantity_above),
  };
}

function RuleDrawer({ rule, onClose }: { rule: ApprovalRuleRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RuleValues>();
  const types = useQuery({
    queryKey: [`${API}document-types/`],
    queryFn: () => ok(client.GET("/api/v1/approval-rules/document-types/")),
  });
  const stores = useOptions("/api/v1/stores/");
  const suppliers = useOptions("/api/v1/suppliers/");
  const categories = useOptions("/api/v1/categories/");
  const typeKey = Form.useWatch("document_type", form);
  const kinds = types.data?.find((type) => type.key === typeKey)?.kinds ?? [];
  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      const body: ApprovalRuleWrite = {
        ...values,
        document_kind: values.document_kind ?? "",
        amount_above: values.amount_above === null || values.amount_above === undefined ? null : String(values.amount_above),
        quantity_above:
          values.quantity_above === null || values.quantity_above === undefined ? null : String(values.quantity_above),
        store: values.store ?? null,
        supplier: values.supplier ?? null,
        category: values.category ?? null,
        levels: (values.levels ?? []).map((level, index) => ({ ...level, sequence: index + 1 })),
      };
      return rule
        ? ok(client.PUT("/api/v1/approval-rules/{id}/", { params: { path: { id: rule.id } }, body, headers: idempotent() }))
        : ok(client.POST("/api/v1/approval-rules/", { body, headers: idempotent() }));
    },
    onSuccess: async () => {
      message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: [API] });
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  return (
    <Drawer
      open
      width={560}
      title={rule ? rule.name : t("approvalRule.create")}
      onClose={onClose}
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="rule-save">
          {t("common.save")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={toValues(rule)}>
        <Form.Item name="name" label={t("approvalRule.name")} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="document_type" label={t("approvalRule.documentType")} rules={[{ required: true }]}>
            <Select
              style={{ width: 200 }}
              options={(types.data ?? []).map((type) => ({
                value: type.key,
                label: t(`approvalRule.type_${type.key}`, { defaultValue: type.key }),
              }))}
            />
          </Form.Item>
          <Form.Item name="document_kind" label={t("approvalRule.documentKind")}>
            <Select
              style={{ width: 200 }}
              options={[
                { value: "", label: t("approvalRule.everyKind") },
                ...kinds.map((kind) => ({ value: kind, label: t(`approval.kind_${kind}`, { defaultValue: kind }) })),
              ]}
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="amount_above" label={t("approvalRule.amountAbove")}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="quantity_above" label={t("approvalRule.quantityAbove")}>
            <InputNumber min={0} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item name="store" label={t("approvalRule.store")}>
          <Select allowClear showSearch optionFilterProp="label" options={stores.data ?? []} />
        </Form.Item>
        <Form.Item name="supplier" label={t("approvalRule.supplier")}>
          <Select allowClear showSearch optionFilterProp="label" options={suppliers.data ?? []} />
        </Form.Item>
        <Form.Item name="category" label={t("approvalRule.category")}>
          <Select allowClear showSearch optionFilterProp="label" options={categories.data ?? []} />
        </Form.Item>
        <Form.Item name="active" label={t("approvalRule.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <Card size="small" title={t("approvalRule.levels")}>
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" wrap>
                  <span>{index + 1}.</span>
                  <Form.Item name={[field.name, "role"]} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 160 }}
                      options={ROLES.map((role) => ({ value: role, label: roleName(role, t) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, "scope"]} initialValue="document_store">
                    <Select
                      style={{ width: 160 }}
                      options={[
                        { value: "document_store", label: t("approvalRule.scope_document_store") },
                        { value: "head_office", label: t("approvalRule.scope_head_office") },
                      ]}
                    />
                  </Form.Item>
                  <MinusCircleOutlined aria-label={t("approvalRule.removeLevel")} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ sequence: fields.length + 1, role: "admin", scope: "head_office" })}
              >
                {t("approvalRule.addLevel")}
              </Button>
            </Card>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

export function ApprovalRulesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { can } = useAuth();
  const editable = can("approvalRulesEdit");
  const list = useList(API);
  const [editing, setEditing] = useState<ApprovalRuleRow | null | undefined>(undefined);
  const remove = useMutation({
    mutationFn: (id: number) => client.DELETE("/api/v1/approval-rules/{id}/", { params: { path: { id: id } }, headers: idempotent() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [API] });
    },
    onError: (error) => showError(error, t, message),
  });
  if (list.query.isError) return <LoadFailed error={list.query.error} />;
  return (
    <Card
      title={t("approvalRule.title")}
      extra={
        editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            {t("common.create")}
          </Button>
        )
      }
    >
      <Table<ApprovalRuleRow>
        rowKey="id"
        size="small"
        loading={list.query.isLoading}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 900 }}
        columns={[
          { title: t("approvalRule.name"), dataIndex: "name", key: "name" },
          {
            title: t("approvalRule.documentKind"),
            key: "kind",
            render: (_v, rule) =>
              rule.document_kind
                ? t(`approval.kind_${rule.document_kind}`, { defaultValue: rule.document_kind })
                : t(`approvalRule.type_${rule.document_type}`, { defaultValue: rule.document_type }),
          },
          {
            title: t("approvalRule.conditions"),
            key: "conditions",
            render: (_v, rule) => (
              <Space wrap size={4}>
                {rule.amount_above && <Tag>{`${t("approvalRule.amountAbove")} ${formatAmountGrouped(rule.amount_above)}`}</Tag>}
                {rule.quantity_above && <Tag>{`${t("approvalRule.quantityAbove")} ${formatQty(rule.quantity_above)}`}</Tag>}
                {rule.store && <Tag>{t("approvalRule.store")}</Tag>}
                {rule.supplier && <Tag>{t("approvalRule.supplier")}</Tag>}
                {rule.category && <Tag>{t("approvalRule.category")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("approvalRule.levels"),
            key: "levels",
            render: (_v, rule) =>
              rule.levels
                .map((level) => `${roleName(level.role, t)} (${t(`approvalRule.scope_${level.scope ?? "document_store"}`)})`)
                .join(" → "),
          },
          {
            title: t("approvalRule.active"),
            key: "active",
            render: (_v, rule) => (rule.active ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag>),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_v, rule) =>
              editable && (
                <Space>
                  <Button size="small" onClick={() => setEditing(rule)}>
                    {t("common.edit")}
                  </Button>
                  {!rule.builtin && (
                    <Popconfirm title={t("common.confirm")} onConfirm={() => remove.mutate(rule.id)}>
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("approvalRule.delete")} />
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]}
      />
      {editing !== undefined && <RuleDrawer rule={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
