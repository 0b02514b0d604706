import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { App as AntApp, Button, Card, Form, Input, Typography } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import { showError } from "../../api/errors";
import { LanguageSwitch } from "../../layout/AppLayout";

interface LoginForm {
  username: string;
  password: string;
}

function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login")
    ? next
    : "/";
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<LoginForm>();
  const [busy, setBusy] = useState(false);

  if (me) {
    const next = safeNext(params.get("next"));
    if (!next.startsWith("/api/")) return <Navigate to={next} replace />;
    window.location.replace(next); // the API's pages (Swagger UI) are the server's
    return null;
  }

  const submit = async (values: LoginForm) => {
    setBusy(true);
    try {
      await login(values.username, values.password);
      const next = safeNext(params.get("next"));
      // the API's pages (Swagger UI) are the server's, not routes of this app
      if (next.startsWith("/api/")) window.location.assign(next);
      else navigate(next, { replace: true });
    } catch (error) {
      showError(error, t, message, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sl-login">
      <Card>
        <div style={{ display: "flex", justifyContent: "flex-end" }}>
          <LanguageSwitch />
        </div>
        <Typography.Title level={3} style={{ marginTop: 8, marginBottom: 0 }}>
          {t("app.name")}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("login.subtitle")}</Typography.Paragraph>
        <Form<LoginForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={t("login.username")}
            rules={[{ required: true, message: t("login.required", { field: t("login.username") }) }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t("login.password")}
            rules={[{ required: true, message: t("login.required", { field: t("login.password") }) }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
