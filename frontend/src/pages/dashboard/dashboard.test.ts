import { describe, expect, it } from "vitest";
import type { Dashboard, DashboardDay } from "../../api/contract";
import { listLink, recentReceipts, trendChart, warehouseChart, warehouseChartHeight } from "./dashboard";

const row = (code: string, value: string): Dashboard["warehouses"][number] => ({
  warehouse: code.length,
  warehouse_code: code,
  warehouse_name: `${code} 仓库`,
  value,
  on_hand: "1",
  sku_count: 1,
});

const day = (date: string, inValue: string, outValue: string): DashboardDay => ({
  date,
  in_moves: 1,
  out_moves: 1,
  in_value: inValue,
  out_value: outValue,
  by_move_type: [],
});

describe("dashboard links", () => {
  it("carry the list's filters and the chosen warehouse", () => {
    expect(listLink("/inventory/balances", 3, { below_safety_stock: "true" })).toBe(
      "/inventory/balances?below_safety_stock=true&warehouse=3",
    );
    expect(listLink("/inventory/expiring-batches", undefined, { days: undefined })).toBe(
      "/inventory/expiring-batches",
    );
  });
});

describe("dashboard charts", () => {
  it("draw the most valuable warehouse on top", () => {
    const option = warehouseChart([row("WH02", "900.50"), row("WH1", "12.00")], "Stock value");
    expect(option.yAxis).toMatchObject({ data: ["WH1 仓库", "WH02 仓库"] });
    expect(option.series).toMatchObject([{ data: [12, 900.5], name: "Stock value" }]);
    expect(warehouseChartHeight(1)).toBe(160);
    expect(warehouseChartHeight(10)).toBe(408);
  });

  it("show the value in and out of each day", () => {
    const option = trendChart([day("2026-11-28", "10.00", "0.00"), day("2026-11-29", "5.50", "3.25")], {
      in: "In",
      out: "Out",
    });
    expect(option.xAxis).toMatchObject({ data: ["11-28", "11-29"] });
    expect(option.series).toMatchObject([
      { name: "In", data: [10, 5.5] },
      { name: "Out", data: [0, 3.25] },
    ]);
  });
});

describe("recent stock-ins", () => {
  it("merges stock-ins and incoming transfers, newest first, up to the limit", () => {
    const stockIn = (id: number, postedAt: string | null, createdAt: string) => ({
      id,
      number: `RK-${id}`,
      status: (postedAt ? "posted" : "draft") as "posted" | "draft",
      warehouse_name: "一号店仓库",
      document_date: createdAt.slice(0, 10),
      posted_at: postedAt,
      created_at: createdAt,
    });
    const transfer = (id: number, receivedAt: string | null, shippedAt: string | null) => ({
      id,
      number: `DB-${id}`,
      status: (receivedAt ? "posted" : "shipped") as "posted" | "shipped",
      to_warehouse_name: "一号店仓库",
      document_date: "2026-12-01",
      received_at: receivedAt,
      shipped_at: shippedAt,
      created_at: "2026-12-01T01:00:00+08:00",
    });
    const rows = recentReceipts(
      [stockIn(1, "2026-12-03T09:00:00+08:00", "2026-12-03T08:00:00+08:00"), stockIn(2, null, "2026-12-05T08:00:00+08:00")],
      [transfer(7, "2026-12-04T10:00:00+08:00", "2026-12-02T10:00:00+08:00"), transfer(8, null, "2026-12-02T11:00:00+08:00")],
      3,
    );
    expect(rows.map((r) => [r.number, r.kind, r.to])).toEqual([
      ["RK-2", "stock_in", "/inventory/stock-ins/2"],
      ["DB-7", "transfer", "/inventory/transfers/7"],
      ["RK-1", "stock_in", "/inventory/stock-ins/1"],
    ]);
  });
});
