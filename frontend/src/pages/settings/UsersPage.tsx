// 系统设置 → 用户 (head office): who may sign in, with which roles and for which stores —
// create, change roles and data scope, reset a password (revokes the user's API tokens),
// deactivate / reactivate (users are never deleted: documents name who made them).
import { useState } from "react";
import {
  App as AntApp,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from "antd";
import { KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, given, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import type { UserCreate, UserRow } from "../../api/contract";
import { useList, fetchAllOf, type ListPathFor } from "../../api/useList";
import { useAuth } from "../../auth/auth";
import { ListTable } from "../../components/ListTable";

const API = "/api/v1/users/";

interface Named {
  id: number;
  code: string;
  name: string;
}

function useNamed(url: ListPathFor<Named>) {
  return useQuery({
    queryKey: [url, "all"],
    queryFn: () => fetchAllOf<Named>(url, { active: true }),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ["/api/v1/roles/"],
    queryFn: () => ok(client.GET("/api/v1/roles/")),
    staleTime: 60_000,
  });
}

type UserValues = Omit<UserCreate, "password"> & { password?: string };

function UserDrawer({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserValues>();
  const roles = useRoles();
  const stores = useNamed("/api/v1/stores/");
  const warehouses = useNamed("/api/v1/warehouses/");
  const allStores = Form.useWatch("all_stores", form);
  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      const body = {
        ...values,
        full_name: values.full_name ?? "",
        email: values.email ?? "",
        roles: values.roles ?? [],
        stores: values.stores ?? [],
        warehouses: values.warehouses ?? [],
      };
      if (user) {
        delete body.password;
        return ok(client.PATCH("/api/v1/users/{id}/", { params: { path: { id: user.id } }, body, headers: idempotent() }));
      }
      // a new user's password is required by the form's rules
      const created = { ...body, password: given(body.password) };
      return ok(client.POST("/api/v1/users/", { body: created, headers: idempotent() }));
    },
    onSuccess: async () => {
      message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: [API] });
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  const initial: Partial<UserValues> = user
    ? {
        username: user.username,
        full_name: user.full_name === user.username ? "" : user.full_name,
        email: user.email,
        roles: user.roles,
        all_stores: user.all_stores,
        stores: user.stores,
        warehouses: user.warehouses,
      }
    : { roles: [], all_stores: false, stores: [], warehouses: [] };
  return (
    <Drawer
      open
      width={Math.min(560, window.innerWidth)}
      title={user ? user.username : t("sysSettings.userCreate")}
      onClose={onClose}
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="user-save">
          {t("common.save")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="username" label={t("sysSettings.username")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={150} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="full_name" label={t("sysSettings.fullName")}>
          <Input maxLength={150} data-testid="user-full-name" />
        </Form.Item>
        <Form.Item name="email" label={t("sysSettings.email")}>
          <Input maxLength={254} />
        </Form.Item>
        {!user && (
          <Form.Item
            name="password"
            label={t("sysSettings.password")}
            extra={t("sysSettings.passwordHelp")}
            rules={[{ required: true, message: t("common.required") }]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        )}
        <Form.Item name="roles" label={t("sysSettings.roles")}>
          <Select
            mode="multiple"
            data-testid="user-roles"
            options={(roles.data ?? []).map((role) => ({ value: role.name, label: role.label }))}
          />
        </Form.Item>
        <Form.Item name="all_stores" label={t("sysSettings.allStores")} valuePropName="checked" extra={t("sysSettings.allStoresHelp")}>
          <Switch data-testid="user-all-stores" />
        </Form.Item>
        {!allStores && (
          <>
            <Form.Item name="stores" label={t("sysSettings.stores")} extra={t("sysSettings.storesHelp")}>
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                data-testid="user-stores"
                options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              />
            </Form.Item>
            <Form.Item name="warehouses" label={t("sysSettings.extraWarehouses")} extra={t("sysSettings.extraWarehousesHelp")}>
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.name} (${w.code})` }))}
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}

function PasswordModal({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: async () => {
      const { password } = await form.validateFields();
      return ok(client.POST("/api/v1/users/{id}/set-password/", { params: { path: { id: user.id } }, body: { password }, headers: idempotent() }));
    },
    onSuccess: (result) => {
      message.success(t("sysSettings.passwordReset", { count: result.revoked_tokens }));
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  return (
    <Modal
      open
      title={t("sysSettings.resetPasswordOf", { name: user.username })}
      onCancel={onClose}
      onOk={() => reset.mutate()}
      confirmLoading={reset.isPending}
      okButtonProps={{ "data-testid": "password-save" } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t("sysSettings.resetPasswordHelp")}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="password" label={t("sysSettings.newPassword")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.Password autoComplete="new-password" data-testid="password-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { can, me } = useAuth();
  const editable = can("usersEdit");
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<string | undefined>();
  const [active, setActive] = useState<string | undefined>("true");
  const list = useList(API, { search, role, is_active: active === undefined ? undefined : active === "true" });
  const roles = useRoles();
  const stores = useNamed("/api/v1/stores/");
  const roleLabel = (name: string) => roles.data?.find((r) => r.name === name)?.label ?? name;
  const storeCode = (id: number) => stores.data?.find((s) => s.id === id)?.name ?? String(id);
  const [editing, setEditing] = useState<UserRow | null | undefined>(undefined);
  const [password, setPassword] = useState<UserRow | null>(null);
  const toggle = useMutation({
    mutationFn: (user: UserRow) =>
      user.is_active
        ? ok(client.POST("/api/v1/users/{id}/deactivate/", { params: { path: { id: user.id } }, headers: idempotent() }))
        : ok(client.POST("/api/v1/users/{id}/activate/", { params: { path: { id: user.id } }, headers: idempotent() })),
    onSuccess: async (user) => {
      message.success(user.is_active ? t("sysSettings.activated") : t("sysSettings.deactivated"));
      await queryClient.invalidateQueries({ queryKey: [API] });
    },
    onError: (error) => showError(error, t, message),
  });
  return (
    <Card
      title={t("sysSettings.usersTitle")}
      extra={
        editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="user-create">
            {t("common.create")}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("sysSettings.userSearch")}
          onSearch={(value) => {
            setSearch(value);
            list.resetPage();
          }}
          style={{ width: 240 }}
          data-testid="user-search"
        />
        <Select
          allowClear
          placeholder={t("sysSettings.roles")}
          style={{ width: 160 }}
          value={role}
          onChange={(value) => {
            setRole(value);
            list.resetPage();
          }}
          options={(roles.data ?? []).map((r) => ({ value: r.name, label: r.label }))}
        />
        <Select
          style={{ width: 120 }}
          value={active ?? ""}
          onChange={(value) => {
            setActive(value || undefined);
            list.resetPage();
          }}
          options={[
            { value: "true", label: t("sysSettings.activeOnly") },
            { value: "false", label: t("sysSettings.inactiveOnly") },
            { value: "", label: t("common.all") },
          ]}
        />
      </Space>
      <ListTable<UserRow>
        list={list}
        testId="users-table"
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: 900 }}
        columns={[
          { title: t("sysSettings.username"), dataIndex: "username", key: "username" },
          { title: t("sysSettings.fullName"), dataIndex: "full_name", key: "full_name" },
          {
            title: t("sysSettings.roles"),
            key: "roles",
            render: (_v, user) => (
              <Space wrap size={4}>
                {user.is_superuser && <Tag color="red">{t("sysSettings.superuser")}</Tag>}
                {user.roles.map((name) => (
                  <Tag key={name}>{roleLabel(name)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("sysSettings.scope"),
            key: "scope",
            render: (_v, user) =>
              user.all_stores ? (
                <Tag color="blue">{t("sysSettings.allStores")}</Tag>
              ) : user.stores.length || user.warehouses.length ? (
                <span>
                  {user.stores.map(storeCode).join("、")}
                  {user.warehouses.length ? ` ${t("sysSettings.plusWarehouses", { count: user.warehouses.length })}` : ""}
                </span>
              ) : (
                <Typography.Text type="warning">{t("sysSettings.noScope")}</Typography.Text>
              ),
          },
          {
            title: t("sysSettings.status"),
            key: "is_active",
            render: (_v, user) =>
              user.is_active ? <Tag color="green">{t("sysSettings.active")}</Tag> : <Tag>{t("sysSettings.inactive")}</Tag>,
          },
          {
            title: t("sysSettings.lastLogin"),
            dataIndex: "last_login",
            key: "last_login",
            render: (value: string | null) => (value ? value.slice(0, 16).replace("T", " ") : ""),
          },
          ...(editable
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_v: unknown, user: UserRow) => (
                    <Space wrap>
                      <Button size="small" onClick={() => setEditing(user)} data-testid={`user-edit-${user.username}`}>
                        {t("common.edit")}
                      </Button>
                      {user.id !== me?.id && (
                        <Button size="small" icon={<KeyOutlined />} onClick={() => setPassword(user)}>
                          {t("sysSettings.resetPassword")}
                        </Button>
                      )}
                      {user.id !== me?.id && (
                        <Popconfirm
                          title={user.is_active ? t("sysSettings.deactivateConfirm") : t("common.confirm")}
                          onConfirm={() => toggle.mutate(user)}
                        >
                          <Button
                            size="small"
                            danger={user.is_active}
                            icon={user.is_active ? <StopOutlined /> : <CheckCircleOutlined />}
                          >
                            {user.is_active ? t("sysSettings.deactivate") : t("sysSettings.activate")}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && <UserDrawer user={editing} onClose={() => setEditing(undefined)} />}
      {password && <PasswordModal user={password} onClose={() => setPassword(null)} />}
    </Card>
  );
}
