import { describe, expect, it } from "vitest";
import type { BoardDay, BoardStore } from "../../api/contract";
import { barsHeight, boardAmount, boardLinks, categoryChart, chartedStores, linkTo, recentReceipts, storeFlowChart, storeValueChart, trendChart } from "./dashboard";

const store = (code: string, stockValue: string | null, inValue = "0", outValue = "0"): BoardStore =>
  ({ store: code.length, store_code: code, store_name: `${code} 店`, stock_value: stockValue, in_value: inValue, out_value: outValue }) as BoardStore;

const day = (date: string, value: string | null, inValue: string | null, outValue: string | null): BoardDay => ({
  date,
  stock_value: value,
  in_value: inValue,
  out_value: outValue,
});

describe("dashboard links", () => {
  it("open the report behind a figure with its store and period", () => {
    const board = { date: "2026-12-06", date_from: "2026-11-07", date_to: "2026-12-06", month_from: "2026-12-01", near_expiry_days: 30 };
    const links = boardLinks(board, 3);
    // the store's expiring batches and payables, not the chain's; the card's days when not the tab's 30
    expect(links.expiring).toBe("/reports/stock-status?tab=expiring&store=3");
    expect(boardLinks({ ...board, near_expiry_days: 45 }, 3).expiring).toBe("/reports/stock-status?tab=expiring&days=45&store=3");
    expect(links.payables).toBe("/finance/ageing?store=3");
    expect(boardLinks(board, undefined).payables).toBe("/finance/ageing");
    expect(links.flows).toBe("/reports/stock-summary?group_by=warehouse&date_from=2026-11-07&date_to=2026-12-06&store=3");
    expect(links.belowSafety).toBe("/reports/stock-status?only=below_safety_stock&store=3");
    expect(links.receipts).toBe("/reports/purchases?date_from=2026-12-01&date_to=2026-12-06&store=3");
    expect(boardLinks(board, undefined).stockValue).toBe("/reports/stock-status");
    expect(linkTo("/inventory/in-transit", { store: undefined })).toBe("/inventory/in-transit");
  });
});

describe("dashboard charts", () => {
  it("draw the most valuable store on top", () => {
    const central = { ...store("", "50.00"), store: null, store_code: null, store_name: null };
    const option = storeValueChart([store("0002", "12.00"), store("0001", "900.50"), central], "Stock value", "Central");
    // ECharts draws the first category at the bottom
    expect(option.yAxis).toMatchObject({ data: ["0002 店", "Central", "0001 店"] });
    expect(option.series).toMatchObject([{ data: [12, 50, 900.5], name: "Stock value" }]);
    expect(barsHeight(1)).toBe(180);
    expect(barsHeight(10)).toBe(376);
  });

  it("compare the in and out of each store", () => {
    const option = storeFlowChart([store("0001", "1", "25.00", "8.00"), store("0002", "1", "32.00", "20.00")], { in: "In", out: "Out" }, "Central");
    expect(option.series).toMatchObject([
      { name: "In", data: [32, 25] },
      { name: "Out", data: [20, 8] },
    ]);
  });

  it("leave out a store without stock or movement (a head office without a warehouse)", () => {
    const office = store("9999", "0.00", "0.00", "0.00");
    const stores = [store("0001", "10.00"), office, store("0002", "0.00", "5.00")];
    expect(chartedStores(stores).map((s) => s.store_code)).toEqual(["0001", "0002"]);
    expect(storeValueChart(stores, "Stock value", "Central").yAxis).toMatchObject({ data: ["0002 店", "0001 店"] });
    expect(storeFlowChart(stores, { in: "In", out: "Out" }, "Central").yAxis).toMatchObject({ data: ["0002 店", "0001 店"] });
  });

  it("keep a phone's labels apart: short value ticks, fewer of them, names cut shorter", () => {
    const option = storeValueChart([store("0001", "1250000.00")], "Stock value", "Central", { narrow: true, language: "zh-CN" });
    const xAxis = option.xAxis as { splitNumber: number; axisLabel: { formatter: (v: number) => string } };
    expect(xAxis.splitNumber).toBe(2);
    expect(xAxis.axisLabel.formatter(1250000)).toBe("125万");
    expect(option.yAxis).toMatchObject({ axisLabel: { width: 84, overflow: "truncate" } });
    expect(option.tooltip).toMatchObject({ confine: true });
  });

  it("name the products without a category", () => {
    const option = categoryChart([{ category: null, category_code: null, category_name: null, value: "33.00" }], "Value", "Uncategorised");
    expect(option.yAxis).toMatchObject({ data: ["Uncategorised"] });
  });

  it("show the stock value, in and out of each day", () => {
    const option = trendChart([day("2026-11-28", "10.00", "10.00", "0.00"), day("2026-11-29", "12.25", "5.50", "3.25")], {
      value: "Value",
      in: "In",
      out: "Out",
    });
    expect(option.xAxis).toMatchObject({ data: ["11-28", "11-29"] });
    expect(option.series).toMatchObject([
      { name: "Value", type: "line", data: [10, 12.25] },
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

  it("lists purchase receipts with their supplier, the demo's main way goods come in", () => {
    const receipt = {
      id: 41,
      number: "CR-41",
      status: "posted" as const,
      warehouse_name: "中央仓",
      supplier_name: "华东食品",
      posted_at: "2026-12-04T11:00:00+08:00",
      created_at: "2026-12-04T09:00:00+08:00",
    };
    const stockIn = {
      id: 3,
      number: "RK-3",
      status: "posted" as const,
      warehouse_name: "一号店仓库",
      document_date: "2026-12-03",
      posted_at: "2026-12-03T09:00:00+08:00",
      created_at: "2026-12-03T08:00:00+08:00",
    };
    const rows = recentReceipts([stockIn], [], 6, [receipt]);
    expect(rows.map((r) => [r.number, r.kind, r.warehouse, r.to])).toEqual([
      ["CR-41", "purchase_receipt", "中央仓 · 华东食品", "/purchasing/receipts/41"],
      ["RK-3", "stock_in", "一号店仓库", "/inventory/stock-ins/3"],
    ]);
  });
});

describe("dashboard figures", () => {
  it("show a large amount short (by language) and the exact one beside it", () => {
    expect(boardAmount("12701500.00", "zh-CN")).toEqual({ text: "1,270.15万", exact: "12,701,500.00" });
    expect(boardAmount("12701500.00", "en")).toEqual({ text: "12.7M", exact: "12,701,500.00" });
    expect(boardAmount("123456789012.5", "zh-CN").text).toBe("1,234.57亿");
    expect(boardAmount("-250000", "en").text).toBe("-250k");
    expect(boardAmount("99999.99", "zh-CN")).toEqual({ text: "99,999.99", exact: "99,999.99" });
    expect(boardAmount("26", "en").text).toBe("26.00");
    expect(boardAmount(null).text).toBe("—");
  });

  it("draw the trend's value axes with short ticks, fewer on a phone", () => {
    const option = trendChart([day("2026-12-01", "12701500", "300000", "0")], { value: "V", in: "I", out: "O" }, { narrow: true, language: "en" });
    const axes = option.yAxis as { splitNumber: number; axisLabel: { formatter: (v: number) => string } }[];
    expect(axes.map((axis) => axis.axisLabel.formatter(12_000_000))).toEqual(["12M", "12M"]);
    expect(axes[0].splitNumber).toBe(3);
    const zh = trendChart([], { value: "V", in: "I", out: "O" }, { language: "zh-CN" }).yAxis as typeof axes;
    expect(zh[1].axisLabel.formatter(4_000_000)).toBe("400万");
    expect(zh[0].splitNumber).toBe(5);
  });
});
