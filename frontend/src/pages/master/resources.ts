// The master data kept on the generic list/edit page: fields, columns, sorting, filters,
// permissions, and the records kept inside another (a warehouse's bin locations).
import type { MasterResource } from "../../auth/access";
import type { ListPathFor } from "../../api/useList";
import type { MessageKey } from "../../i18n/keys";

export type FieldKind = "text" | "int" | "bool" | "ref" | "choice" | "date";

export interface FieldDef {
  name: string;
  label: MessageKey;
  kind: FieldKind;
  ref?: ListPathFor<MasterRow>; // list URL of the referenced resource (kind "ref")
  choices?: { value: string; label: MessageKey }[]; // kind "choice": API value and i18n key
  required?: boolean;
  column?: boolean; // shown in the table
  sortable?: boolean; // the API accepts ordering= on it
  filter?: boolean; // a filter above the table (kinds "bool" and "ref")
}

/** Records that belong to a row and are managed from it (a drawer), e.g. a warehouse's bins. */
export interface DetailDef {
  def: MasterDef;
  /** The detail's field (and API filter) that points at the row. */
  by: string;
  label: MessageKey; // of the row action
}

/** A record of master data as the generic page sees it: its fields by name. */
export type MasterRow = Record<string, unknown> & { id: number };

export interface MasterDef {
  resource: MasterResource;
  api: ListPathFor<MasterRow>;
  path: string;
  title: MessageKey;
  fields: FieldDef[];
  detail?: DetailDef;
}

const code: FieldDef = { name: "code", label: "master.code", kind: "text", required: true, column: true, sortable: true };
const name: FieldDef = { name: "name", label: "master.name", kind: "text", required: true, column: true, sortable: true };
const active: FieldDef = { name: "active", label: "master.active", kind: "bool", column: true, filter: true };

/** Bin locations (货位): their own list, and inside each warehouse (its "locations" action). */
export const LOCATIONS: MasterDef = {
  resource: "locations",
  api: "/api/v1/locations/",
  path: "/master/locations",
  title: "master.locations",
  fields: [
    { name: "warehouse", label: "master.warehouse", kind: "ref", ref: "/api/v1/warehouses/", required: true, column: true, filter: true },
    code,
    { ...name, required: false },
    active,
  ],
};
const contact: FieldDef[] = [
  { name: "contact", label: "master.contact", kind: "text", column: true },
  { name: "phone", label: "master.phone", kind: "text", column: true },
  { name: "address", label: "master.address", kind: "text" },
  { name: "payment_terms_days", label: "master.paymentTermsDays", kind: "int" },
  { name: "tax_number", label: "master.taxNumber", kind: "text" },
];

export const MASTER_RESOURCES: MasterDef[] = [
  {
    resource: "categories",
    api: "/api/v1/categories/",
    path: "/master/categories",
    title: "master.categories",
    fields: [
      code,
      name,
      { name: "parent", label: "master.parent", kind: "ref", ref: "/api/v1/categories/", column: true, filter: true },
      { name: "sort_order", label: "master.sortOrder", kind: "int", column: true, sortable: true },
    ],
  },
  {
    resource: "brands",
    api: "/api/v1/brands/",
    path: "/master/brands",
    title: "master.brands",
    fields: [code, name],
  },
  {
    resource: "units",
    api: "/api/v1/units/",
    path: "/master/units",
    title: "master.units",
    fields: [code, name, { name: "precision", label: "master.precision", kind: "int", column: true }],
  },
  {
    resource: "suppliers",
    api: "/api/v1/suppliers/",
    path: "/master/suppliers",
    title: "master.suppliers",
    fields: [
      code,
      name,
      ...contact,
      { name: "lead_time_days", label: "master.leadTimeDays", kind: "int" },
      {
        name: "payment_method",
        label: "master.paymentMethod",
        kind: "choice",
        choices: (["bank_transfer", "cash", "acceptance_bill", "cheque", "online"] as const).map((value) => ({
          value,
          label: `master.paymentMethods.${value}`,
        })),
      },
      { name: "contract_start", label: "master.contractStart", kind: "date" },
      { name: "contract_end", label: "master.contractEnd", kind: "date" },
      active,
    ],
  },
  {
    resource: "customers",
    api: "/api/v1/customers/",
    path: "/master/customers",
    title: "master.customers",
    fields: [
      code,
      name,
      ...contact,
      // a customer with a level or a card is a member (会员)
      { name: "member_level", label: "master.memberLevel", kind: "ref", ref: "/api/v1/member-levels/", column: true, filter: true },
      { name: "member_card_no", label: "master.memberCardNo", kind: "text", column: true },
      active,
    ],
  },
  {
    resource: "memberLevels",
    api: "/api/v1/member-levels/",
    path: "/master/member-levels",
    title: "master.memberLevels",
    fields: [
      code,
      name,
      { name: "discount", label: "master.discount", kind: "text", column: true, sortable: true },
    ],
  },
  {
    resource: "stores",
    api: "/api/v1/stores/",
    path: "/master/stores",
    title: "master.stores",
    fields: [
      code,
      name,
      { name: "is_head_office", label: "master.headOffice", kind: "bool", column: true, filter: true },
      { name: "manager", label: "master.manager", kind: "text", column: true },
      { name: "phone", label: "master.phone", kind: "text" },
      { name: "address", label: "master.address", kind: "text" },
      active,
    ],
  },
  {
    resource: "warehouses",
    api: "/api/v1/warehouses/",
    path: "/master/warehouses",
    title: "master.warehouses",
    fields: [
      code,
      name,
      { name: "store", label: "master.store", kind: "ref", ref: "/api/v1/stores/", column: true, filter: true },
      { name: "allow_negative_stock", label: "master.allowNegative", kind: "bool", column: true },
      { name: "address", label: "master.address", kind: "text" },
      active,
    ],
    detail: { def: LOCATIONS, by: "warehouse", label: "master.locations" },
  },
  LOCATIONS,
];
