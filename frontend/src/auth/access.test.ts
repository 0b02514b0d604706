import { describe, expect, it } from "vitest";
import { can, withoutCosts } from "./access";
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
