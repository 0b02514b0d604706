// 系统设置 → 角色: the roles and what each may do, grouped by what it is about (read-only: the
// roles are defined in code and kept in step at every upgrade).
import { Alert, Card, Collapse, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ListError, ListSkeleton } from "../../components/ListTable";
import { useRoles } from "./UsersPage";
import { groupPermissions } from "./roles";

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  if (roles.isError) return <ListError error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <Card title={t("sysSettings.rolesTitle")}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("sysSettings.rolesHelp")} />
      {roles.isPending ? (
        <ListSkeleton />
      ) : (
        <Collapse
          data-testid="roles"
          items={(roles.data ?? []).map((role) => ({
            key: role.name,
            label: (
              <Space wrap>
                <Typography.Text strong>{role.label}</Typography.Text>
                <Tag>{t("sysSettings.roleUsers", { count: role.users })}</Tag>
                <Tag>{t("sysSettings.rolePermissions", { count: role.permissions.length })}</Tag>
                {!role.seeded && <Tag color="orange">{t("sysSettings.customRole")}</Tag>}
              </Space>
            ),
            children: (
              <div data-testid={`role-${role.name}`}>
                {groupPermissions(role).map((group) => (
                  <div key={group.subject} style={{ display: "flex", flexWrap: "wrap", gap: 8, lineHeight: "28px" }}>
                    <span style={{ minWidth: 140, color: "rgba(0,0,0,0.65)" }}>{group.subject}</span>
                    <span>
                      {group.actions.map((action) => (
                        <Tag key={action}>{action}</Tag>
                      ))}
                    </span>
                  </div>
                ))}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
