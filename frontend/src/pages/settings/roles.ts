// A role's permissions grouped by what they are about ("库存流水: 查看"), for 系统设置 → 角色权限.
import type { RoleRow } from "../../api/contract";

export function groupPermissions(role: Pick<RoleRow, "permissions">): { subject: string; actions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const permission of role.permissions) {
    const actions = groups.get(permission.subject) ?? [];
    if (!actions.includes(permission.action)) actions.push(permission.action);
    groups.set(permission.subject, actions);
  }
  return [...groups.entries()].map(([subject, actions]) => ({ subject, actions }));
}
