// The dashboard's pure parts: the links to the reports behind its figures (with the store and
// period in the URL) and the ECharts options of its charts, from GET /api/v1/reports/dashboard/.
import type {
  Board,
  BoardCategory,
  BoardDay,
  BoardKind,
  BoardStore,
  PurchaseReceiptListRow,
  PurchaseReceiptStatus,
  StockDocumentListRow,
  StockDocumentStatus,
  TransferListRow,
  TransferStatus,
} from "../../api/contract";
import type { ChartOption } from "../../components/EChart";
import { compactNumber, type BarChartLayout } from "../reports/charts";
import i18n from "../../i18n";
import { formatAmountGrouped } from "../../lib/format";

/** How a dashboard chart is laid out: on a phone (`narrow`) shorter names and fewer, short
 *  value ticks (as the report charts), the full name in the tooltip. */
export type BoardLayout = Pick<BarChartLayout, "narrow" | "language">;

const IN_COLOR = "#1677ff";
const OUT_COLOR = "#fa8c16";
const VALUE_COLOR = "#52c41a";

/** `path` with the query `params` (undefined ones left out): a report with its filters. */
export function linkTo(path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The report behind each figure of the dashboard, with the store and period in the URL. */
export function boardLinks(
  board: Pick<Board, "date_from" | "date_to" | "month_from" | "date" | "near_expiry_days">,
  store: number | undefined,
) {
  const period = { date_from: board.date_from, date_to: board.date_to };
  return {
    stockValue: linkTo("/reports/stock-status", { store }),
    flows: linkTo("/reports/stock-summary", { group_by: "warehouse", ...period, store }),
    turnover: linkTo("/reports/turnover", { group_by: "warehouse", ...period, store }),
    belowSafety: linkTo("/reports/stock-status", { only: "below_safety_stock", store }),
    expiring: linkTo("/reports/stock-status", { tab: "expiring", days: board.near_expiry_days === 30 ? undefined : board.near_expiry_days, store }),
    payables: linkTo("/finance/ageing", { store }),
    openOrders: linkTo("/purchasing/open-orders", { store }),
    overdueOrders: linkTo("/purchasing/open-orders", { overdue: "true", store }),
    receipts: linkTo("/reports/purchases", { date_from: board.month_from, date_to: board.date, store }),
  };
}

const amount = (value: string | null): number => Number(value ?? 0);

/** From this size on a figure card shows its amount short (the full figure ran past the card on a phone). */
export const COMPACT_FROM = 100_000;

/**
 * An amount of a dashboard card: up to 99,999.99 in full (26.00), larger ones short as the charts'
 * value ticks, with two decimals and grouped — 1,270.15万 in Chinese, 12.7M in English; `exact` is
 * the full figure (the card's title). null: "—".
 */
export function boardAmount(value: string | null | undefined, language = "zh-CN"): { text: string; exact: string } {
  if (value === null || value === undefined) return { text: "—", exact: "—" };
  const exact = formatAmountGrouped(value);
  const number = Number(value);
  if (!Number.isFinite(number) || Math.abs(number) < COMPACT_FROM) return { text: exact, exact };
  const text = compactNumber(number, language, 2).replace(/^(-?)(\d+)/, (_m, sign: string, whole: string) =>
    `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`,
  );
  return { text, exact };
}

/** Horizontal bars, one row of 32 px per label, the first label on top. */
function horizontalBars(
  labels: string[],
  series: { name: string; values: number[]; color: string }[],
  { narrow = false, language }: BoardLayout = {},
): ChartOption {
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true }, // the full name
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 24, top: series.length > 1 ? 28 : 8, bottom: 24, containLabel: true },
    xAxis: {
      type: "value",
      splitNumber: narrow ? 2 : 4,
      axisLabel: { formatter: (value: number) => compactNumber(value, language ?? i18n.language), hideOverlap: true },
    },
    yAxis: { type: "category", data: [...labels].reverse(), axisLabel: { width: narrow ? 84 : 110, overflow: "truncate" } },
    series: series.map((s) => ({
      type: "bar",
      name: s.name,
      barMaxWidth: 20,
      data: [...s.values].reverse(),
      itemStyle: { color: s.color },
    })),
  };
}

export function barsHeight(count: number, series = 1): number {
  return Math.max(180, count * (series > 1 ? 40 : 32) + 56);
}

/** A store's name; `central` names the central warehouses' row (of no store). */
export function storeLabel(store: Pick<BoardStore, "store" | "store_code" | "store_name">, central: string): string {
  return store.store === null ? central : store.store_name || store.store_code || "";
}

/** The stores the store charts show: those with stock or a movement in the period (a store
 *  without a warehouse, as a head office, would only be a zero row). */
export function chartedStores(stores: readonly BoardStore[]): BoardStore[] {
  return stores.filter((s) => amount(s.stock_value) !== 0 || amount(s.in_value) !== 0 || amount(s.out_value) !== 0);
}

/** Stock value per store, highest on top. */
export function storeValueChart(stores: readonly BoardStore[], name: string, central: string, layout: BoardLayout = {}): ChartOption {
  const sorted = chartedStores(stores).sort((a, b) => amount(b.stock_value) - amount(a.stock_value));
  return horizontalBars(
    sorted.map((s) => storeLabel(s, central)),
    [{ name, values: sorted.map((s) => amount(s.stock_value)), color: VALUE_COLOR }],
    layout,
  );
}

/** In and out value of the period per store, side by side. */
export function storeFlowChart(
  stores: readonly BoardStore[],
  names: { in: string; out: string },
  central: string,
  layout: BoardLayout = {},
): ChartOption {
  const charted = chartedStores(stores);
  return horizontalBars(
    charted.map((s) => storeLabel(s, central)),
    [
      { name: names.in, values: charted.map((s) => amount(s.in_value)), color: IN_COLOR },
      { name: names.out, values: charted.map((s) => amount(s.out_value)), color: OUT_COLOR },
    ],
    layout,
  );
}

/** The top categories by stock value; `other` names the products without a category. */
export function categoryChart(categories: readonly BoardCategory[], name: string, other: string, layout: BoardLayout = {}): ChartOption {
  return horizontalBars(
    categories.map((c) => c.category_name ?? other),
    [{ name, values: categories.map((c) => amount(c.value)), color: VALUE_COLOR }],
    layout,
  );
}

/** The period's value per kind of flow (kinds without any left out), ins then outs. */
export function kindChart(kinds: readonly BoardKind[], label: (key: string) => string, name: string, layout: BoardLayout = {}): ChartOption {
  const used = kinds.filter((k) => amount(k.value) !== 0);
  return horizontalBars(
    used.map((k) => label(k.key)),
    [{ name, values: used.map((k) => amount(k.value)), color: IN_COLOR }],
    layout,
  );
}

/** The last 30 days ("MM-DD"): stock value at each day's end as a line (left axis), in and
 *  out values as bars (right axis). */
export function trendChart(
  days: readonly BoardDay[],
  names: { value: string; in: string; out: string },
  { narrow = false, language }: BoardLayout = {},
): ChartOption {
  // short value ticks (400万 / 4M), fewer on a phone, as the other charts
  const valueAxis = {
    type: "value" as const,
    splitNumber: narrow ? 3 : 5,
    axisLabel: { formatter: (value: number) => compactNumber(value, language ?? i18n.language), hideOverlap: true },
  };
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 24, containLabel: true },
    xAxis: { type: "category", data: days.map((day) => day.date.slice(5)) },
    yAxis: [valueAxis, { ...valueAxis, splitLine: { show: false } }],
    series: [
      { type: "line", name: names.value, smooth: true, data: days.map((d) => amount(d.stock_value)), itemStyle: { color: VALUE_COLOR } },
      { type: "bar", name: names.in, yAxisIndex: 1, data: days.map((d) => amount(d.in_value)), itemStyle: { color: IN_COLOR } },
      { type: "bar", name: names.out, yAxisIndex: 1, data: days.map((d) => amount(d.out_value)), itemStyle: { color: OUT_COLOR } },
    ],
  };
}

export const TREND_COLORS = { in: IN_COLOR, out: OUT_COLOR };

/** One line of the dashboard's "recent stock-ins": a stock-in or a transfer into the user's
 *  warehouses (a store fed by transfers otherwise sees nothing there). */
export interface RecentReceipt {
  key: string;
  kind: "stock_in" | "transfer" | "purchase_receipt";
  id: number;
  number: string;
  status: StockDocumentStatus | TransferStatus | PurchaseReceiptStatus;
  warehouse: string;
  when: string; // ISO date-time or date: what the list is sorted by
  to: string;
}

type StockInLike = Pick<StockDocumentListRow, "id" | "number" | "status" | "warehouse_name" | "document_date" | "posted_at" | "created_at">;
type TransferLike = Pick<
  TransferListRow,
  "id" | "number" | "status" | "to_warehouse_name" | "document_date" | "received_at" | "shipped_at" | "created_at"
>;

type PurchaseReceiptLike = Pick<
  PurchaseReceiptListRow,
  "id" | "number" | "status" | "warehouse_name" | "supplier_name" | "posted_at" | "created_at"
>;

/** Purchase receipts, stock-ins and incoming transfers merged, newest first (posted/received, else
 * shipped, else created). */
export function recentReceipts(
  stockIns: readonly StockInLike[],
  transfers: readonly TransferLike[],
  limit = 6,
  purchaseReceipts: readonly PurchaseReceiptLike[] = [],
): RecentReceipt[] {
  const rows: RecentReceipt[] = [
    ...purchaseReceipts.map((doc) => ({
      key: `pr-${doc.id}`,
      kind: "purchase_receipt" as const,
      id: doc.id,
      number: doc.number,
      status: doc.status,
      warehouse: `${doc.warehouse_name} · ${doc.supplier_name}`,
      when: doc.posted_at ?? doc.created_at,
      to: `/purchasing/receipts/${doc.id}`,
    })),
    ...stockIns.map((doc) => ({
      key: `in-${doc.id}`,
      kind: "stock_in" as const,
      id: doc.id,
      number: doc.number,
      status: doc.status,
      warehouse: doc.warehouse_name,
      when: doc.posted_at ?? doc.created_at,
      to: `/inventory/stock-ins/${doc.id}`,
    })),
    ...transfers.map((doc) => ({
      key: `tr-${doc.id}`,
      kind: "transfer" as const,
      id: doc.id,
      number: doc.number,
      status: doc.status,
      warehouse: doc.to_warehouse_name,
      when: doc.received_at ?? doc.shipped_at ?? doc.created_at,
      to: `/inventory/transfers/${doc.id}`,
    })),
  ];
  return rows.sort((a, b) => Date.parse(b.when) - Date.parse(a.when)).slice(0, limit);
}
