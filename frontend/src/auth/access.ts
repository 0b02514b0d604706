// Who may see and do what: the one place that maps routes, menu items and document buttons to
// the permissions of /api/v1/auth/me/ ("app.codename").
import type { Me } from "../api/contract";

export type AccessKey =
  | "dashboard"
  | "products"
  | "productsCreate"
  | "productsEdit"
  | "skusEdit"
  | "skusCreate"
  | "productsDelete"
  | "skusDelete"
  | "stockBalances"
  | "stockMoves"
  | "stockAt"
  | "inTransit"
  | "expiringBatches"
  | "stockDocuments"
  | "stockDocumentsCreate"
  | "transfers"
  | "transfersCreate"
  | "stockCounts"
  | "stockCountsCreate"
  | "labels"
  | "reportStockSummary"
  | "reportTurnover"
  | "reportPurchases"
  | "reportBatchTrace"
  | "reportReturns"
  | "reportOpenPurchaseOrders"
  | "reportSubscriptions"
  | "companySettings"
  | "users"
  | "usersEdit"
  | "roles"
  | "reasonCodes"
  | "reasonCodesEdit"
  | "numbering"
  | "numberingEdit"
  | "reportStockStatus"
  | "supplierItems"
  | "supplierItemsEdit"
  | "purchaseOrders"
  | "purchaseOrdersCreate"
  | "purchaseReceipts"
  | "purchaseReceiptsCreate"
  | "purchaseReturns"
  | "purchaseReturnsCreate"
  | "purchaseRequests"
  | "purchaseRequestsCreate"
  | "purchaseRequestsConsolidate"
  | "approvals"
  | "approvalRules"
  | "approvalRulesEdit"
  | "supplierInvoices"
  | "supplierInvoicesCreate"
  | "supplierPayments"
  | "supplierPaymentsCreate"
  | "supplierStatement"
  | "payablesAgeing"
  | "costs"
  | `${MasterResource}View`
  | `${MasterResource}Edit`
  | `${MasterResource}Delete`;

/** Master data kept on the generic list/edit page (pages/master/resources.ts). */
export type MasterResource =
  | "units"
  | "brands"
  | "categories"
  | "stores"
  | "warehouses"
  | "locations"
  | "suppliers"
  | "customers"
  | "memberLevels";

const MASTER_MODELS: Record<MasterResource, string> = {
  units: "catalog.unit",
  brands: "catalog.brand",
  categories: "catalog.category",
  stores: "org.store",
  warehouses: "org.warehouse",
  locations: "org.location",
  suppliers: "partners.supplier",
  customers: "partners.customer",
  memberLevels: "partners.memberlevel",
};

type MasterAccessKey = `${MasterResource}${"View" | "Edit" | "Delete"}`;

function masterAccess(): Record<MasterAccessKey, string[]> {
  const out = {} as Record<MasterAccessKey, string[]>;
  for (const [resource, model] of Object.entries(MASTER_MODELS) as [MasterResource, string][]) {
    const [app, name] = model.split(".");
    out[`${resource}View`] = [`${app}.view_${name}`];
    out[`${resource}Edit`] = [`${app}.change_${name}`, `${app}.add_${name}`];
    out[`${resource}Delete`] = [`${app}.delete_${name}`];
  }
  return out;
}

/** Any one of the listed permissions grants the access; an empty list: any signed-in user. */
export const ACCESS: Record<AccessKey, string[]> = {
  companySettings: ["org.change_company"],
  // 系统设置: head office (the server also asks for a scope of every store)
  users: ["auth.view_user"],
  usersEdit: ["auth.change_user"],
  roles: ["auth.view_group"],
  reasonCodes: ["inventory.change_reasoncode"], // every role picks reasons; the page is for who keeps them
  reasonCodesEdit: ["inventory.change_reasoncode"],
  numbering: ["core.view_documentsequence"],
  numberingEdit: ["core.change_documentsequence"],
  dashboard: [],
  products: ["catalog.view_sku", "catalog.view_product"],
  productsCreate: ["catalog.add_product"],
  productsEdit: ["catalog.change_product"],
  skusEdit: ["catalog.change_sku"],
  skusCreate: ["catalog.add_sku"],
  productsDelete: ["catalog.delete_product"],
  skusDelete: ["catalog.delete_sku"],
  stockBalances: ["inventory.view_stockbalance"],
  stockMoves: ["inventory.view_stockmove"],
  stockAt: ["inventory.view_stockmove"],
  inTransit: ["inventory.view_transfer"],
  expiringBatches: ["inventory.view_stockbalance"],
  stockDocuments: ["inventory.view_stockdocument"],
  reportStockSummary: ["inventory.view_stockmove"],
  reportTurnover: ["inventory.view_stockmove"],
  reportPurchases: ["purchasing.view_purchasereceipt"],
  reportBatchTrace: ["inventory.view_stockmove"],
  reportReturns: ["purchasing.view_purchasereturn"],
  reportOpenPurchaseOrders: ["purchasing.view_purchaseorder"],
  reportSubscriptions: [], // every signed-in user keeps his own report subscriptions
  reportStockStatus: ["inventory.view_stockbalance"],
  stockDocumentsCreate: ["inventory.add_stockdocument"],
  transfers: ["inventory.view_transfer"],
  transfersCreate: ["inventory.add_transfer"],
  stockCounts: ["inventory.view_stockcount"],
  stockCountsCreate: ["inventory.add_stockcount"],
  labels: ["catalog.view_sku"],
  supplierItems: ["purchasing.view_supplieritem"],
  supplierItemsEdit: ["purchasing.change_supplieritem"],
  purchaseOrders: ["purchasing.view_purchaseorder"],
  purchaseOrdersCreate: ["purchasing.add_purchaseorder"],
  purchaseReceipts: ["purchasing.view_purchasereceipt"],
  purchaseReceiptsCreate: ["purchasing.add_purchasereceipt"],
  purchaseReturns: ["purchasing.view_purchasereturn"],
  purchaseReturnsCreate: ["purchasing.add_purchasereturn"],
  purchaseRequests: ["purchasing.view_purchaserequest"],
  purchaseRequestsCreate: ["purchasing.add_purchaserequest"],
  purchaseRequestsConsolidate: ["purchasing.consolidate_purchaserequest"],
  approvals: [], // every signed-in user has an inbox (the server lists what they may decide)
  approvalRules: ["core.view_approvalrule"],
  approvalRulesEdit: ["core.change_approvalrule"],
  supplierInvoices: ["finance.view_supplierinvoice"],
  supplierInvoicesCreate: ["finance.add_supplierinvoice"],
  supplierPayments: ["finance.view_supplierpayment"],
  supplierPaymentsCreate: ["finance.add_supplierpayment"],
  supplierStatement: ["finance.view_supplierinvoice"],
  payablesAgeing: ["finance.view_supplierinvoice"],
  // unit costs, average costs, stock and line values, purchase prices (the API sends them as
  // null without it; keepers, cashiers and viewers lack it)
  costs: ["reports.view_cost"],
  ...masterAccess(),
};

export function hasPermission(me: Me | null | undefined, permission: string): boolean {
  return !!me && (me.is_superuser || me.permissions.includes(permission));
}

/**
 * Whether every warehouse of `ids` is in the user's data scope (all stores, or the warehouses of
 * /auth/me/'s scope) — as the server's `_in_scope` decides a transfer's side: the source store
 * changes a draft transfer, submits and ships it, the destination receives it.
 */
export function inWarehouseScope(me: Me | null | undefined, ids: readonly number[]): boolean {
  if (!me) return false;
  if (me.is_superuser || me.scope.all_stores) return true;
  const allowed = new Set(me.scope.warehouses.map((warehouse) => warehouse.id));
  return ids.every((id) => allowed.has(id));
}

export function can(me: Me | null | undefined, key: AccessKey): boolean {
  if (!me) return false;
  const needed = ACCESS[key];
  return needed.length === 0 || needed.some((permission) => hasPermission(me, permission));
}

/** Table columns (by key, else dataIndex) that show a cost, a value or a purchase price. */
export const COST_COLUMNS = new Set([
  "value",
  "average_cost",
  "unit_cost",
  "amount",
  "balance_value",
  "difference_value",
  "price",
  "base_unit_price",
  "purchase_price",
  "net_amount",
  "tax_amount",
  "gross_amount",
  "total_net",
  "total_tax",
  "total_gross",
  "total_value",
]);

/** The columns without those of COST_COLUMNS unless the user may see costs. */
export function withoutCosts<C extends { key?: unknown; dataIndex?: unknown }>(columns: C[], showCost: boolean): C[] {
  if (showCost) return columns;
  return columns.filter((column) => {
    const name = column.key ?? column.dataIndex;
    return !(typeof name === "string" && COST_COLUMNS.has(name));
  });
}
