// Where the web UI shows a document that an approval is about: the API resource the server
// names (ApprovalInbox.resource) → the route of its detail page.
import { STOCK_KINDS } from "../../pages/stock-docs/kinds";
import type { MessageKey } from "../../i18n/keys";

const PAGES: Record<string, string> = {
  ...Object.fromEntries(STOCK_KINDS.map((k) => [k.api.split("/")[3], k.path])),
  transfers: "/inventory/transfers",
  "stock-counts": "/inventory/stock-counts",
  "purchase-orders": "/purchasing/orders",
  "purchase-receipts": "/purchasing/receipts",
};

/** The detail page of document `id` of API resource `resource` (null: no page for it yet). */
export function documentPath(resource: string, id: number): string | null {
  const base = PAGES[resource];
  return base ? `${base}/${id}` : null;
}

/** i18n key of a role name (the accounts roles; an administrator's own role shows as is). */
export const ROLES = [
  "admin",
  "store_manager",
  "warehouse_keeper",
  "cashier",
  "buyer",
  "finance",
  "viewer",
] as const;

type Role = (typeof ROLES)[number];

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}

export function roleKey(role: string): MessageKey | null {
  return isRole(role) ? `approval.role_${role}` : null;
}
