// One list/edit page for simple master data (units, brands, categories, stores, warehouses,
// suppliers, customers): search, pagination, export, and a create/edit form in a modal.
import { useState } from "react";
import { App as AntApp, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from "antd";
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ImportButton } from "../../components/ImportButton";
import { useAuth } from "../../auth/auth";
import { request, type Page } from "../../api/http";
import { showError } from "../../api/errors";
import { useList } from "../../api/useList";
import { newIdempotencyKey } from "../../lib/ids";
import type { FieldDef, MasterDef } from "./resources";

type Row = Record<string, unknown> & { id: number };

function RefSelect({ field, value, onChange }: { field: FieldDef; value?: number | null; onChange?: (v: number | null) => void }) {
  const options = useQuery({
    queryKey: [field.ref, "options"],
    queryFn: () => request<Page<Row>>("GET", field.ref ?? "", { query: { page_size: 500 } }),
    select: (page) => page.results.map((r) => ({ value: r.id, label: `${String(r.code ?? "")} ${String(r.name ?? "")}` })),
  });
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      value={value ?? undefined}
      onChange={(next: number | undefined) => onChange?.(next ?? null)}
      options={options.data ?? []}
    />
  );
}

function fieldInput(field: FieldDef) {
  switch (field.kind) {
    case "int":
      return <InputNumber min={0} precision={0} style={{ width: "100%" }} />;
    case "bool":
      return <Checkbox />;
    case "ref":
      return <RefSelect field={field} />;
    default:
      return <Input />;
  }
}

function EditModal({ def, row, onClose }: { def: MasterDef; row: Row | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Record<string, unknown>>();
  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return row
        ? request<Row>("PATCH", `${def.api}${row.id}/`, { body: values, idempotencyKey: newIdempotencyKey() })
        : request<Row>("POST", def.api, { body: values, idempotencyKey: newIdempotencyKey() });
    },
    onSuccess: async () => {
      message.success(t("common.saved"));
      await queryClient.invalidateQueries();
      onClose();
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      showError(error, t, message, form);
    },
  });
  const initial: Record<string, unknown> = row ?? Object.fromEntries(def.fields.filter((f) => f.kind === "bool" && f.name === "active").map((f) => [f.name, true]));
  return (
    <Modal
      open
      title={`${t(def.title)} · ${row ? String(row.code ?? "") : t("common.create")}`}
      onCancel={onClose}
      onOk={() => save.mutate()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "master-save" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        {def.fields.map((field) => (
          <Form.Item
            key={field.name}
            name={field.name}
            label={t(field.label)}
            valuePropName={field.kind === "bool" ? "checked" : "value"}
            rules={field.required ? [{ required: true, message: t("common.required") }] : []}
          >
            {fieldInput(field)}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

function RefCell({ url, id }: { url: string; id: unknown }) {
  const options = useQuery({
    queryKey: [url, "options"],
    queryFn: () => request<Page<Row>>("GET", url, { query: { page_size: 500 } }),
  });
  const found = options.data?.results.find((r) => r.id === id);
  return <>{found ? String(found.name ?? "") : ""}</>;
}

export function MasterDataPage({ def }: { def: MasterDef }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<Row | null | undefined>(undefined);
  const list = useList<Row>(def.api, { search });
  const editable = can(`${def.resource}Edit`);
  const columns = def.fields
    .filter((f) => f.column)
    .map((field) => ({
      title: t(field.label),
      key: field.name,
      render: (_v: unknown, row: Row) => {
        const value = row[field.name];
        if (field.kind === "bool") return value ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag>;
        if (field.kind === "ref") return value ? <RefCell url={field.ref ?? ""} id={value} /> : "";
        return value === null || value === undefined ? "" : String(value);
      },
    }));
  return (
    <Card
      title={t(def.title)}
      extra={
        <Space>
          <Button icon={<DownloadOutlined />} href={`${def.api}export/?format=xlsx`}>
            {t("common.export")}
          </Button>
          {editable && <ImportButton api={def.api} />}
          {editable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="master-create">
              {t("common.create")}
            </Button>
          )}
        </Space>
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => {
            setSearch(value.trim());
            list.resetPage();
          }}
        />
      </Space>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 600 }}
        columns={[
          ...columns,
          ...(editable
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  width: 80,
                  render: (_v: unknown, row: Row) => (
                    <Button type="link" size="small" onClick={() => setEditing(row)}>
                      {t("common.edit")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && <EditModal def={def} row={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
