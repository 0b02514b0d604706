import { describe, expect, it } from "vitest";
import { can, inWarehouseScope, withoutCosts } from "./access";
import type { Me } from "../api/contract";

const columns = [
  { key: "sku_code", title: "商品编码" },
  { key: "on_hand", title: "现存量" },
  { key: "value", title: "金额" },
  { dataIndex: "average_cost", title: "平均成本" },
  { dataIndex: "unit_cost", title: "单位成本" },
];

describe("cost columns (issue 8)", () => {
  it("are left out without the cost permission", () => {
    expect(withoutCosts(columns, false).map((c) => c.title)).toEqual(["商品编码", "现存量"]);
  });

  it("stay with it", () => {
    expect(withoutCosts(columns, true)).toHaveLength(5);
  });

  it("come with reports.view_cost", () => {
    const keeper = { is_superuser: false, permissions: ["inventory.view_stockbalance"] } as unknown as Me;
    const manager = { is_superuser: false, permissions: ["reports.view_cost"] } as unknown as Me;
    expect(can(keeper, "costs")).toBe(false);
    expect(can(manager, "costs")).toBe(true);
  });
});

describe("a transfer's side (the warehouses in the user's scope)", () => {
  const scoped = (warehouses: number[], allStores = false) =>
    ({ is_superuser: false, permissions: [], scope: { all_stores: allStores, stores: [], warehouses: warehouses.map((id) => ({ id, code: `W${id}`, name: "", store: 1 })) } }) as unknown as Me;
  it("is the user's when every warehouse is in scope", () => {
    expect(inWarehouseScope(scoped([1, 2]), [1])).toBe(true);
    expect(inWarehouseScope(scoped([2]), [1])).toBe(false);
    expect(inWarehouseScope(scoped([1]), [1, 2])).toBe(false);
    expect(inWarehouseScope(scoped([], true), [1])).toBe(true);
    expect(inWarehouseScope(null, [1])).toBe(false);
  });
});
