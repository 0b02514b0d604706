// One list/edit page for simple master data (units, brands, categories, stores, warehouses, bin
// locations, suppliers, customers): search, filters, sorting, pagination, column settings,
// import (with the errors of each row) and export of what the list shows, a create/edit form in a
// modal, delete (or deactivate, when the record is still used), and the records kept inside a
// row (a warehouse's bin locations) in a drawer.
import { useState } from "react";
import {
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  type TableColumnsType,
} from "antd";
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ImportButton } from "../../components/ImportButton";
import { useAuth } from "../../auth/auth";
import { client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import { useListOf, fetchAllOf, type ListPathFor } from "../../api/useList";
import { useColumnSettings } from "../../features/stock/ColumnSettings";
import { isInUse } from "../products/productEdit";
import type { FieldDef, MasterBody, MasterDef, MasterPath, MasterRow } from "./resources";
import { exportUrl, orderingParam, sortOrderOf } from "./tableState";
import { ListTable } from "../../components/ListTable";

type Row = MasterRow;
/** The form's values: the create body of the page's path (any of the master-data paths). */
type Values = MasterBody<MasterPath>;
/** Fields fixed by the page (a warehouse's locations: {warehouse: 3}); hidden in the form. */
type Fixed = Record<string, number>;

function useRefOptions(url: ListPathFor<Row> | undefined) {
  return useQuery({
    queryKey: [url, "options"],
    queryFn: () => fetchAllOf<Row>(given(url)),
    enabled: url !== undefined,
    select: (page) => page.results.map((r) => ({ value: r.id, label: `${String(r.code ?? "")} ${String(r.name ?? "")}` })),
  });
}

function RefSelect({ field, value, onChange }: { field: FieldDef; value?: number | null; onChange?: (v: number | null) => void }) {
  const options = useRefOptions(field.ref);
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

function fieldInput(field: FieldDef, t: TFunction) {
  switch (field.kind) {
    case "choice":
      return <Select options={(field.choices ?? []).map((c) => ({ value: c.value, label: t(c.label) }))} />;
    case "date":
      // a native date input: YYYY-MM-DD text, the picker of the phone or browser
      return <Input type="date" min="2000-01-01" max="2099-12-31" />;
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

function EditModal({ def, row, fixed, onClose }: { def: MasterDef; row: Row | null; fixed: Fixed; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: async () => {
      const body = { ...(await form.validateFields()), ...fixed };
      return row
        ? ok(client.PATCH(`${def.api}{id}/`, { params: { path: { id: row.id } }, body, headers: idempotent() }))
        : ok(client.POST(def.api, { body, headers: idempotent() }));
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
  // a new record is active, without dates (null: what an emptied date sends too)
  const initial: Record<string, unknown> =
    row ??
    Object.fromEntries(
      def.fields.flatMap((f): [string, unknown][] =>
        f.kind === "date" ? [[f.name, null]] : f.kind === "bool" && f.name === "active" ? [[f.name, true]] : [],
      ),
    );
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
        {def.fields
          .filter((field) => !(field.name in fixed))
          .map((field) => (
            <Form.Item
              key={field.name}
              name={field.name}
              label={t(field.label)}
              valuePropName={field.kind === "bool" ? "checked" : "value"}
              normalize={field.kind === "date" ? noDateIsNull : undefined}
              rules={field.required ? [{ required: true, message: t("common.required") }] : []}
            >
              {fieldInput(field, t)}
            </Form.Item>
          ))}
      </Form>
    </Modal>
  );
}

/** An emptied date is no date (null), not an empty string. */
function noDateIsNull(value: string | null | undefined): string | null {
  return value || null;
}

function RefCell({ url, id }: { url: ListPathFor<Row>; id: unknown }) {
  const options = useRefOptions(url);
  const found = options.data?.find((o) => o.value === id);
  return <>{found ? found.label : ""}</>;
}

/** A filter above the table: yes/no for a flag, a record for a reference. */
function FieldFilter({ field, value, onChange }: { field: FieldDef; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const refs = useRefOptions(field.kind === "ref" ? field.ref : undefined);
  const options =
    field.kind === "bool"
      ? [
          { value: "true", label: t("common.yes") },
          { value: "false", label: t("common.no") },
        ]
      : (refs.data ?? []).map((o) => ({ value: String(o.value), label: o.label }));
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={t(field.label)}
      value={value || undefined}
      onChange={(next: string | undefined) => onChange(next ?? "")}
      options={options}
      style={{ minWidth: 140 }}
      data-testid={`master-filter-${field.name}`}
    />
  );
}

function useDeleteRow(def: MasterDef) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const queryClient = useQueryClient();
  const canDeactivate = def.fields.some((f) => f.name === "active");
  const deactivate = async (row: Row) => {
    try {
      await ok(client.PATCH(`${def.api}{id}/`, { params: { path: { id: row.id } }, body: { active: false } }));
      message.success(t("master.deactivated", { code: String(row.code ?? "") }));
      await queryClient.invalidateQueries();
    } catch (error) {
      showError(error, t, message);
    }
  };
  return (row: Row) =>
    modal.confirm({
      title: t("master.deleteConfirm", { code: String(row.code ?? "") }),
      okText: t("master.delete"),
      okType: "danger",
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "master-delete-confirm" } as Record<string, string>,
      onOk: async () => {
        try {
          await ok(client.DELETE(`${def.api}{id}/`, { params: { path: { id: row.id } } }));
        } catch (error) {
          if (isInUse(error) && canDeactivate && row.active !== false) {
            modal.confirm({
              title: t("master.cannotDelete", { code: String(row.code ?? "") }),
              content: error.message,
              okText: t("master.deactivateInstead"),
              cancelText: t("common.cancel"),
              okButtonProps: { "data-testid": "master-deactivate-instead" } as Record<string, string>,
              onOk: () => deactivate(row),
            });
          } else showError(error, t, message);
          return;
        }
        message.success(t("master.deleted", { code: String(row.code ?? "") }));
        await queryClient.invalidateQueries();
      },
    });
}

/** The list of one resource; `fixed` narrows it to the records of a parent row. */
export function MasterTable({ def, fixed = {} }: { def: MasterDef; fixed?: Fixed }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isMobile = Grid.useBreakpoint().md === false;
  const [search, setSearch] = useState("");
  const [ordering, setOrdering] = useState("");
  const [filterValues, setFilterValues] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<Row | null | undefined>(undefined);
  const [detailOf, setDetailOf] = useState<Row | null>(null);
  const filters = { search, ordering, ...filterValues, ...fixed };
  const list = useListOf<Row>(def.api, Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "")));
  const editable = can(`${def.resource}Edit`);
  const deletable = can(`${def.resource}Delete`);
  const detail = def.detail && can(`${def.detail.def.resource}View`) ? def.detail : undefined;
  const deleteRow = useDeleteRow(def);
  const shown = def.fields.filter((f) => f.column && !(f.name in fixed));

  const columns: TableColumnsType<Row> = shown.map((field) => ({
    title: t(field.label),
    key: field.name,
    ...(field.sortable ? { sorter: true, sortOrder: sortOrderOf(ordering, field.name) } : {}),
    render: (_v: unknown, row: Row) => {
      const value = row[field.name];
      if (field.kind === "bool") return value ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag>;
      if (field.kind === "ref") return value && field.ref ? <RefCell url={field.ref} id={value} /> : "";
      if (field.kind === "choice") {
        const choice = field.choices?.find((c) => c.value === value);
        return choice ? t(choice.label) : "";
      }
      return value === null || value === undefined ? "" : String(value);
    },
  }));
  const { isVisible, control: columnSettings } = useColumnSettings(
    `master-${def.resource}`,
    columns.map((c) => ({ key: String(c.key), title: String(c.title) })),
  );
  const actions =
    editable || deletable || detail
      ? [
          {
            title: t("common.actions"),
            key: "actions",
            width: detail ? 200 : 130,
            render: (_v: unknown, row: Row) => (
              <Space size={0} wrap>
                {detail && (
                  <Button type="link" size="small" onClick={() => setDetailOf(row)} data-testid={`master-detail-${String(row.code)}`}>
                    {t(detail.label)}
                  </Button>
                )}
                {editable && (
                  <Button type="link" size="small" onClick={() => setEditing(row)} data-testid={`master-edit-${String(row.code)}`}>
                    {t("common.edit")}
                  </Button>
                )}
                {deletable && (
                  <Button type="link" size="small" danger onClick={() => deleteRow(row)} data-testid={`master-delete-${String(row.code)}`}>
                    {t("master.delete")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : [];

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          data-testid="master-search"
          onSearch={(value) => {
            setSearch(value.trim());
            list.resetPage();
          }}
        />
        {def.fields
          .filter((f) => f.filter && !(f.name in fixed))
          .map((field) => (
            <FieldFilter
              key={field.name}
              field={field}
              value={filterValues[field.name] ?? ""}
              onChange={(value) => {
                setFilterValues((current) => ({ ...current, [field.name]: value }));
                list.resetPage();
              }}
            />
          ))}
        {columnSettings}
        <Button icon={<DownloadOutlined />} href={exportUrl(def.api, filters)} data-testid="master-export">
          {t("common.export")}
        </Button>
        {editable && <ImportButton api={def.api} />}
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="master-create">
            {t("common.create")}
          </Button>
        )}
      </Space>
      <ListTable<Row>
        list={list}
        rowKey="id"
        size="middle"
                pagination={list.pagination(t)}
        scroll={{ x: 600 }}
        onRow={(row) => (row.active === false ? { style: { opacity: 0.55 } } : {})}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action !== "sort") return;
          setOrdering(orderingParam(sorter));
          list.resetPage();
        }}
        columns={[...columns.filter((c) => isVisible(String(c.key))), ...actions]}
      />
      {editing !== undefined && <EditModal def={def} row={editing} fixed={fixed} onClose={() => setEditing(undefined)} />}
      {detail && (
        <Drawer
          open={detailOf !== null}
          onClose={() => setDetailOf(null)}
          width={isMobile ? "100%" : 760}
          destroyOnHidden
          title={detailOf ? `${t(detail.label)} · ${String(detailOf.code ?? "")} ${String(detailOf.name ?? "")}` : ""}
        >
          {detailOf && <MasterTable def={detail.def} fixed={{ [detail.by]: detailOf.id }} />}
        </Drawer>
      )}
    </>
  );
}

export function MasterDataPage({ def }: { def: MasterDef }) {
  const { t } = useTranslation();
  return (
    <Card title={t(def.title)}>
      <MasterTable def={def} />
    </Card>
  );
}
