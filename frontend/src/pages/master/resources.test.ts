// Each master-data definition is typed by its path's request body (resources.ts,
// `defineMasterData`): a field the body does not take, an input that does not fit its type, a
// choice it does not have, or a path the page cannot manage is a type error (checked by `tsc`,
// which fails if an `@ts-expect-error` below stops being an error).
import { describe, expect, it } from "vitest";
import { defineMasterData, LOCATIONS, MASTER_RESOURCES } from "./resources";

const base = { resource: "brands", path: "/master/brands", title: "master.brands" } as const;

describe("master-data definitions", () => {
  it("take only the fields of the path's request body", () => {
    const defs = [
      defineMasterData({ ...base, api: "/api/v1/brands/", fields: [{ name: "code", label: "master.code", kind: "text" }] }),
      defineMasterData({
        ...base,
        api: "/api/v1/brands/",
        // @ts-expect-error a brand has `name`, not `title` (a renamed field)
        fields: [{ name: "title", label: "master.name", kind: "text" }],
      }),
      defineMasterData({
        ...base,
        api: "/api/v1/units/",
        // @ts-expect-error a unit's precision is a number: not a yes/no input
        fields: [{ name: "precision", label: "master.precision", kind: "bool" }],
      }),
      defineMasterData({
        ...base,
        api: "/api/v1/suppliers/",
        // @ts-expect-error `barter` is no payment method of the schema
        fields: [{ name: "payment_method", label: "master.paymentMethod", kind: "choice", choices: [{ value: "barter", label: "master.paymentMethod" }] }],
      }),
      defineMasterData({
        ...base,
        api: "/api/v1/warehouses/",
        fields: [],
        // @ts-expect-error a bin location points at its warehouse by `warehouse`
        detail: { def: LOCATIONS, by: "store", label: "master.locations" },
      }),
      // @ts-expect-error a stock-in is no master data (no import, no PATCH)
      defineMasterData({ ...base, api: "/api/v1/stock-ins/", fields: [] }),
    ];
    expect(defs.map((def) => def.api)).toEqual([
      "/api/v1/brands/",
      "/api/v1/brands/",
      "/api/v1/units/",
      "/api/v1/suppliers/",
      "/api/v1/warehouses/",
      "/api/v1/stock-ins/",
    ]);
  });

  it("name each field once", () => {
    for (const def of MASTER_RESOURCES) {
      const names = def.fields.map((field) => field.name);
      expect(new Set(names).size, def.resource).toBe(names.length);
    }
    expect(MASTER_RESOURCES.length).toBe(9);
  });
});
