import { useEffect, useMemo, useState } from "react";
import { Link, Outlet, matchPath, useLocation, useNavigate } from "react-router";
import {
  App as AntApp,
  Breadcrumb,
  Button,
  Drawer,
  Dropdown,
  Form,
  Grid,
  Input,
  Layout,
  Menu,
  Segmented,
  Badge,
  type MenuProps,
} from "antd";
import { LockOutlined, LogoutOutlined, MailOutlined, MenuOutlined, UserOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ME_KEY, useAuth } from "../auth/auth";
import { client, ok } from "../api/http";
import { APP_ROUTES, APPROVALS_PATH, MENU_GROUPS, type AppRoute } from "../routes";
import { useApprovalCount } from "../features/approvals/useApprovalCount";
import type { Language } from "../i18n";
import { showError } from "../api/errors";
import { ModalForm } from "../components/ModalForm";

const { Header, Sider, Content } = Layout;

function useMenuItems(): MenuProps["items"] {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const pending = useApprovalCount(!!me);
  return useMemo(() => {
    const visible = APP_ROUTES.filter((r) => r.menu && can(r.access));
    const item = (r: AppRoute) => ({
      key: r.path,
      icon: r.menu?.icon,
      label:
        r.path === APPROVALS_PATH ? (
          <Link to={r.path}>
            {t(r.title)}{" "}
            <Badge count={pending} size="small" offset={[4, -2]} data-testid="approvals-badge" />
          </Link>
        ) : (
          <Link to={r.path}>{t(r.title)}</Link>
        ),
    });
    const items: NonNullable<MenuProps["items"]> = visible
      .filter((r) => r.menu?.group === null)
      .map(item);
    for (const group of MENU_GROUPS) {
      const children = visible.filter((r) => r.menu?.group === group.key).map(item);
      if (children.length) {
        items.push({ key: group.key, icon: group.icon, label: t(group.title), children });
      }
    }
    return items;
  }, [t, can, pending]);
}

function currentRoute(pathname: string): AppRoute | undefined {
  return APP_ROUTES.find((r) => matchPath({ path: r.path, end: true }, pathname));
}

function Breadcrumbs({ route }: { route: AppRoute | undefined }) {
  const { t } = useTranslation();
  if (!route || route.path === "/") return null;
  const items: { title: React.ReactNode }[] = [{ title: <Link to="/">{t("menu.dashboard")}</Link> }];
  const parent = route.parent ? APP_ROUTES.find((r) => r.path === route.parent) : undefined;
  const group = MENU_GROUPS.find((g) => g.key === (parent ?? route).menu?.group);
  if (group) items.push({ title: t(group.title) });
  if (parent) items.push({ title: <Link to={parent.path}>{t(parent.title)}</Link> });
  items.push({ title: t(route.title) });
  return <Breadcrumb items={items} />;
}

/** 我的邮箱 / My e-mail: the user's own address, where his report subscriptions are mailed. */
function MyEmailModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  // each opening reads the address again: the server's, not a copy an older read may have left
  useEffect(() => {
    if (open) void queryClient.invalidateQueries({ queryKey: ME_KEY });
  }, [open, queryClient]);
  return (
    <ModalForm<{ email: string }>
      open={open}
      title={t("user.myEmail")}
      onClose={onClose}
      successMessage={t("common.saved")}
      initialValues={{ email: me?.email ?? "" }}
      okTestId="my-email-save"
      onSubmit={async (values) => {
        const saved = await ok(client.PATCH("/api/v1/auth/me/", { body: { email: values.email ?? "" } }));
        // an older read of "me" still in flight must not land after this and bring the old back
        await queryClient.cancelQueries({ queryKey: ME_KEY });
        queryClient.setQueryData(ME_KEY, saved);
      }}
    >
      <Form.Item
        name="email"
        label={t("user.email")}
        extra={t("user.emailHint")}
        rules={[{ type: "email", message: t("user.emailInvalid") }]}
      >
        <Input type="email" autoComplete="email" data-testid="my-email" />
      </Form.Item>
    </ModalForm>
  );
}

function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { changePassword } = useAuth();
  return (
    <ModalForm<{ old_password: string; new_password: string; confirm: string }>
      open={open}
      title={t("user.changePassword")}
      onClose={onClose}
      successMessage={t("user.passwordChanged")}
      onSubmit={(values) => changePassword(values.old_password, values.new_password)}
    >
      <Form.Item name="old_password" label={t("user.oldPassword")} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="new_password" label={t("user.newPassword")} rules={[{ required: true }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t("user.confirmPassword")}
        dependencies={["new_password"]}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string) =>
              !value || getFieldValue("new_password") === value
                ? Promise.resolve()
                : Promise.reject(new Error(t("user.passwordMismatch"))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </ModalForm>
  );
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { saveLanguage } = useAuth();
  const { message } = AntApp.useApp();
  return (
    <Segmented<Language>
      size="small"
      value={i18n.language === "en" ? "en" : "zh-CN"}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en" },
      ]}
      onChange={(value) => void saveLanguage(value).catch((error) => showError(error, t, message))}
      data-testid="language-switch"
    />
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { me, logout, can } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [siderCollapsed, setSiderCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [emailOpen, setEmailOpen] = useState(false);
  const items = useMenuItems();
  const route = currentRoute(location.pathname);
  const selected = route?.parent ?? route?.path ?? location.pathname;
  const openGroup = APP_ROUTES.find((r) => r.path === selected)?.menu?.group;

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={[selected]}
      defaultOpenKeys={openGroup ? [openGroup] : MENU_GROUPS.map((g) => g.key)}
      onClick={() => setDrawerOpen(false)}
      data-testid="side-menu"
    />
  );

  const userMenu: MenuProps = {
    items: [
      { key: "email", icon: <MailOutlined />, label: t("user.myEmail") },
      { key: "password", icon: <LockOutlined />, label: t("user.changePassword") },
      { type: "divider" },
      { key: "logout", icon: <LogoutOutlined />, label: t("user.logout") },
    ],
    onClick: ({ key }) => {
      if (key === "password") setPasswordOpen(true);
      if (key === "email") setEmailOpen(true);
      if (key === "logout") {
        void logout().then(() => navigate("/login", { replace: true }));
      }
    },
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {!isMobile && (
        <Sider width={232} breakpoint="lg" collapsedWidth={64} onCollapse={setSiderCollapsed}>
          {/* the icon-only menu (tablets) has no room for the name: the app's icon instead */}
          <div className="sl-logo">
            {siderCollapsed ? <img src="/static/favicon.svg" alt={t("app.shortName")} width={24} /> : t("app.shortName")}
          </div>
          {menu}
        </Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          styles={{ body: { padding: 0, background: "#001529" }, header: { display: "none" } }}
        >
          <div className="sl-logo">{t("app.shortName")}</div>
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header className="sl-header">
          {isMobile && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t("menu.openMenu")}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          {isMobile ? <strong>{route ? t(route.title) : t("app.shortName")}</strong> : <Breadcrumbs route={route} />}
          <span className="sl-spacer" />
          {!isMobile && can("products") && (
            <Input.Search
              id="global-search"
              allowClear
              placeholder={t("common.searchPlaceholder")}
              style={{ maxWidth: 280 }}
              onSearch={(value) => {
                const text = value.trim();
                if (text) navigate(`/master/products?search=${encodeURIComponent(text)}`);
              }}
            />
          )}
          <LanguageSwitch />
          <Dropdown menu={userMenu} trigger={["click"]}>
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              {isMobile ? null : me?.username}
            </Button>
          </Dropdown>
        </Header>
        <Content className="sl-content">
          <Outlet />
        </Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
      <MyEmailModal open={emailOpen} onClose={() => setEmailOpen(false)} />
    </Layout>
  );
}
