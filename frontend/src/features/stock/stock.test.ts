import { describe, expect, it } from "vitest";
import { daysUntil, expiryLevel } from "./expiry";
import { loadHiddenColumns, saveHiddenColumns, toggleColumn, type KeyValueStore } from "./columnSettings";
import { exportUrl, filenameFromDisposition } from "./download";
import { endOfDayIso, todayIn, wallTimeIn, wallTimeToIso } from "./companyTime";

describe("expiry highlighting", () => {
  it("counts whole calendar days", () => {
    expect(daysUntil("2026-12-01", "2026-11-29")).toBe(2);
    expect(daysUntil("2027-03-01", "2027-02-28")).toBe(1);
    expect(daysUntil("2026-11-28", "2026-11-29")).toBe(-1);
  });
  it("is red once expired, orange up to 7 days ahead, plain later", () => {
    const today = "2026-11-29";
    expect(expiryLevel("2026-11-28", today)).toBe("expired");
    expect(expiryLevel("2026-11-29", today)).toBe("soon"); // expires at the end of today
    expect(expiryLevel("2026-12-06", today)).toBe("soon");
    expect(expiryLevel("2026-12-07", today)).toBe("ok");
    expect(expiryLevel(null, today)).toBe("none");
    expect(expiryLevel("", today)).toBe("none");
  });
});

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("column settings", () => {
  const all = ["warehouse", "sku", "batch", "value"];
  it("remembers hidden columns per table and drops unknown keys", () => {
    const store = memory();
    saveHiddenColumns("balances", ["batch", "gone"], store);
    expect(loadHiddenColumns("balances", all, store)).toEqual(["batch"]);
    expect(loadHiddenColumns("other", all, store)).toEqual([]);
  });
  it("survives garbage in storage", () => {
    const store = memory();
    store.setItem("storeledger.columns.balances", "{not json");
    expect(loadHiddenColumns("balances", all, store)).toEqual([]);
    store.setItem("storeledger.columns.balances", '{"a":1}');
    expect(loadHiddenColumns("balances", all, store)).toEqual([]);
    expect(loadHiddenColumns("balances", all, null)).toEqual([]);
  });
  it("toggles in table order and never hides the last column", () => {
    expect(toggleColumn([], "value", false, all)).toEqual(["value"]);
    expect(toggleColumn(["value"], "warehouse", false, all)).toEqual(["warehouse", "value"]);
    expect(toggleColumn(["warehouse", "value"], "value", true, all)).toEqual(["warehouse"]);
    expect(toggleColumn(["warehouse", "sku", "batch"], "value", false, all)).toEqual([
      "warehouse",
      "sku",
      "batch",
    ]);
  });
});

describe("export download", () => {
  it("reads the file name the server gives", () => {
    expect(filenameFromDisposition('attachment; filename="stock-balances-20261129-1605.xlsx"', "x.xlsx")).toBe(
      "stock-balances-20261129-1605.xlsx",
    );
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%BA%93%E5%AD%98.csv", "x.csv")).toBe("库存.csv");
    expect(filenameFromDisposition("attachment; filename=plain.csv", "x.csv")).toBe("plain.csv");
    expect(filenameFromDisposition(null, "stock.xlsx")).toBe("stock.xlsx");
    expect(filenameFromDisposition("attachment", "stock.xlsx")).toBe("stock.xlsx");
  });
  it("builds the export URL of a list with its filters, leaving out empty ones", () => {
    expect(
      exportUrl("/api/v1/stock-balances/", "xlsx", {
        warehouse: 3,
        search: "",
        sku: undefined,
        below_safety_stock: true,
        columns: "sku_code,on_hand",
      }),
    ).toBe("/api/v1/stock-balances/export/?format=xlsx&warehouse=3&below_safety_stock=true&columns=sku_code%2Con_hand");
  });
});

describe("company time zone", () => {
  it("reads the picked wall-clock time in the company's zone", () => {
    expect(wallTimeToIso("2026-11-01 00:00:00", "Asia/Shanghai")).toBe("2026-11-01T00:00:00+08:00");
    expect(wallTimeToIso("2026-07-01 12:30:00", "Europe/Berlin")).toBe("2026-07-01T12:30:00+02:00");
  });
  it("ends a day at its last microsecond in the company's zone", () => {
    expect(endOfDayIso("2026-12-05", "Asia/Shanghai")).toBe("2026-12-05T23:59:59.999999+08:00");
    expect(endOfDayIso("2026-12-05", "UTC")).toBe("2026-12-05T23:59:59.999999Z");
  });
  it("shows an instant in the company's zone", () => {
    expect(wallTimeIn("Asia/Shanghai", "2026-11-28T20:00:00Z")).toBe("2026-11-29 04:00:00");
    expect(todayIn("Asia/Shanghai", "2026-11-28T20:00:00Z")).toBe("2026-11-29");
  });
});

describe("category tree", () => {
  it("nests children under their parent in list order, orphans at the top", async () => {
    const { categoryTree } = await import("./queries");
    const tree = categoryTree([
      { id: 1, code: "01", name: "食品", parent: null },
      { id: 2, code: "0101", name: "乳品", parent: 1 },
      { id: 3, code: "02", name: "日用", parent: null },
      { id: 4, code: "010101", name: "牛奶", parent: 2 },
      { id: 5, code: "09", name: "其他", parent: 99 },
    ]);
    expect(tree.map((n) => n.value)).toEqual([1, 3, 5]);
    expect(tree[0].children[0].title).toBe("0101 乳品");
    expect(tree[0].children[0].children.map((n) => n.value)).toEqual([4]);
  });
});
