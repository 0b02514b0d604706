// The master data kept on the generic list/edit page: fields, columns and permissions.
import type { MasterResource } from "../../auth/access";

export type FieldKind = "text" | "int" | "bool" | "ref";

export interface FieldDef {
  name: string;
  label: string; // i18n key
  kind: FieldKind;
  ref?: string; // list URL of the referenced resource (kind "ref")
  required?: boolean;
  column?: boolean; // shown in the table
}

export interface MasterDef {
  resource: MasterResource;
  api: string;
  path: string;
  title: string; // i18n key
  fields: FieldDef[];
}

const code: FieldDef = { name: "code", label: "master.code", kind: "text", required: true, column: true };
const name: FieldDef = { name: "name", label: "master.name", kind: "text", required: true, column: true };
const active: FieldDef = { name: "active", label: "master.active", kind: "bool", column: true };
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
      { name: "parent", label: "master.parent", kind: "ref", ref: "/api/v1/categories/", column: true },
      { name: "sort_order", label: "master.sortOrder", kind: "int" },
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
    fields: [code, name, ...contact, { name: "lead_time_days", label: "master.leadTimeDays", kind: "int" }, active],
  },
  {
    resource: "customers",
    api: "/api/v1/customers/",
    path: "/master/customers",
    title: "master.customers",
    fields: [code, name, ...contact, active],
  },
  {
    resource: "stores",
    api: "/api/v1/stores/",
    path: "/master/stores",
    title: "master.stores",
    fields: [
      code,
      name,
      { name: "is_head_office", label: "master.headOffice", kind: "bool", column: true },
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
      { name: "store", label: "master.store", kind: "ref", ref: "/api/v1/stores/", column: true },
      { name: "allow_negative_stock", label: "master.allowNegative", kind: "bool" },
      { name: "address", label: "master.address", kind: "text" },
      active,
    ],
  },
];
