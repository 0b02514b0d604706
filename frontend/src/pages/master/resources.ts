// The master data kept on the generic list/edit page: fields, columns, sorting, filters,
// permissions, and the records kept inside another (a warehouse's bin locations). Each definition
// is typed by its list path's request body (`defineMasterData`): a field the API does not take,
// or of a kind that does not fit the field's type, fails `tsc`.
import type { MasterResource } from "../../auth/access";
import type { DetailPath, RequestBody } from "../../api/bodies";
import type { paths } from "../../api/schema";
import type { ListPathFor } from "../../api/useList";
import type { MessageKey } from "../../i18n/keys";

export type FieldKind = "text" | "int" | "bool" | "ref" | "choice" | "date";

export interface FieldDef<K extends string = string, V = unknown> {
  name: K; // the field of the request body (and of the rows)
  label: MessageKey;
  kind: FieldKind;
  ref?: ListPathFor<MasterRow>; // list URL of the referenced resource (kind "ref")
  choices?: { value: V; label: MessageKey }[]; // kind "choice": API value and i18n key
  required?: boolean;
  column?: boolean; // shown in the table
  sortable?: boolean; // the API accepts ordering= on it
  filter?: boolean; // a filter above the table (kinds "bool" and "ref")
}

/** A record of master data as the generic page sees it: its fields by name. */
export type MasterRow = Record<string, unknown> & { id: number };

/**
 * A list path of the schema the master-data page manages: POST creates, `{id}/` PATCH edits
 * and DELETE deletes, `import/` (and `export/`) take files.
 */
export type MasterPath = {
  [P in ListPathFor<MasterRow>]: [RequestBody<P, "post">] extends [never]
    ? never
    : DetailPath<P> extends keyof paths
      ? paths[DetailPath<P>] extends { patch: unknown; delete: unknown }
        ? `${P}import/` extends keyof paths
          ? P
          : never
        : never
      : never;
}[ListPathFor<MasterRow>];

/** What the form at `P` sends: the path's create body (an edit PATCHes the same fields). */
export type MasterBody<P extends MasterPath> = P extends MasterPath ? RequestBody<P, "post"> : never;

/** The kinds of input that fit a body field's type. */
type KindFor<V> = V extends boolean ? "bool" : V extends number ? "int" | "ref" : V extends string ? "text" | "choice" | "date" : never;

/** A field of body `B`: one of its keys, with an input that fits its type (and its choices). */
export type Field<B> = B extends unknown
  ? { [K in keyof B & string]-?: FieldDef<K, NonNullable<B[K]>> & { kind: KindFor<NonNullable<B[K]>> } }[keyof B & string]
  : never;

/** Records that belong to a row and are managed from it (a drawer), e.g. a warehouse's bins. */
interface DetailOf<P extends MasterPath> {
  def: MasterDef<P>;
  /** The detail's field (and API filter) that points at the row. */
  by: keyof MasterBody<P> & string;
  label: MessageKey; // of the row action
}
export type DetailDef = { [P in MasterPath]: DetailOf<P> }[MasterPath];

/** One list of the master-data page; `MasterDef` (any path) is what the page takes. */
export interface MasterDef<P extends MasterPath = MasterPath> {
  resource: MasterResource;
  api: P;
  path: string;
  title: MessageKey;
  fields: Field<MasterBody<P>>[];
  detail?: DetailDef;
}

/** A definition checked against its path's request body (the path is inferred from `api`). */
export function defineMasterData<P extends MasterPath>(def: MasterDef<P>): MasterDef<P> {
  return def;
}

const code = { name: "code", label: "master.code", kind: "text", required: true, column: true, sortable: true } as const;
const name = { name: "name", label: "master.name", kind: "text", required: true, column: true, sortable: true } as const;
const active = { name: "active", label: "master.active", kind: "bool", column: true, filter: true } as const;

/** Bin locations (货位): their own list, and inside each warehouse (its "locations" action). */
export const LOCATIONS = defineMasterData({
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
});
const contact = [
  { name: "contact", label: "master.contact", kind: "text", column: true },
  { name: "phone", label: "master.phone", kind: "text", column: true },
  { name: "address", label: "master.address", kind: "text" },
  { name: "payment_terms_days", label: "master.paymentTermsDays", kind: "int" },
  { name: "tax_number", label: "master.taxNumber", kind: "text" },
] as const;

export const MASTER_RESOURCES: MasterDef[] = [
  defineMasterData({
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
  }),
  defineMasterData({
    resource: "brands",
    api: "/api/v1/brands/",
    path: "/master/brands",
    title: "master.brands",
    fields: [code, name],
  }),
  defineMasterData({
    resource: "units",
    api: "/api/v1/units/",
    path: "/master/units",
    title: "master.units",
    fields: [code, name, { name: "precision", label: "master.precision", kind: "int", column: true }],
  }),
  defineMasterData({
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
  }),
  defineMasterData({
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
  }),
  defineMasterData({
    resource: "memberLevels",
    api: "/api/v1/member-levels/",
    path: "/master/member-levels",
    title: "master.memberLevels",
    fields: [
      code,
      name,
      { name: "discount", label: "master.discount", kind: "text", column: true, sortable: true },
    ],
  }),
  defineMasterData({
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
  }),
  defineMasterData({
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
  }),
  LOCATIONS,
];
