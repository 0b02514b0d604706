// The dashboard's pure parts: links to the lists its cards count (with the warehouse chosen on
// the dashboard) and the ECharts options of its two charts, from GET /api/v1/dashboard/.
import type {
  Dashboard,
  DashboardDay,
  DocumentStatus,
  StockDocumentListRow,
  TransferListRow,
} from "../../api/contract";
import type { ChartOption } from "../../components/EChart";

const IN_COLOR = "#1677ff";
const OUT_COLOR = "#fa8c16";

/** `path` with the query `params` (undefined ones left out) and the dashboard's warehouse. */
export function listLink(
  path: string,
  warehouse: number | undefined,
  params: Record<string, string | number | undefined> = {},
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...params, warehouse })) {
    if (value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Horizontal bars of the value per warehouse, highest on top, one row of 36 px each. */
export function warehouseChart(rows: Dashboard["warehouses"], seriesName: string): ChartOption {
  const top = [...rows].reverse(); // ECharts draws the first category at the bottom
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: "value" },
    yAxis: {
      type: "category",
      data: top.map((row) => row.warehouse_name || row.warehouse_code),
      axisLabel: { width: 96, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        name: seriesName,
        barMaxWidth: 24,
        data: top.map((row) => Number(row.value)),
        itemStyle: { color: IN_COLOR },
      },
    ],
  };
}

export function warehouseChartHeight(count: number): number {
  return Math.max(160, count * 36 + 48);
}

/** Side-by-side bars of the value in and out per day ("MM-DD"), oldest first. */
export function trendChart(days: DashboardDay[], names: { in: string; out: string }): ChartOption {
  return {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 24, containLabel: true },
    xAxis: { type: "category", data: days.map((day) => day.date.slice(5)) },
    yAxis: { type: "value" },
    series: [
      { type: "bar", name: names.in, data: days.map((d) => Number(d.in_value)), itemStyle: { color: IN_COLOR } },
      { type: "bar", name: names.out, data: days.map((d) => Number(d.out_value)), itemStyle: { color: OUT_COLOR } },
    ],
  };
}

export const TREND_COLORS = { in: IN_COLOR, out: OUT_COLOR };

/** One line of the dashboard's "recent stock-ins": a stock-in or a transfer into the user's
 *  warehouses (a store fed by transfers otherwise sees nothing there). */
export interface RecentReceipt {
  key: string;
  kind: "stock_in" | "transfer";
  id: number;
  number: string;
  status: DocumentStatus;
  warehouse: string;
  when: string; // ISO date-time or date: what the list is sorted by
  to: string;
}

type StockInLike = Pick<StockDocumentListRow, "id" | "number" | "status" | "warehouse_name" | "document_date" | "posted_at" | "created_at">;
type TransferLike = Pick<
  TransferListRow,
  "id" | "number" | "status" | "to_warehouse_name" | "document_date" | "received_at" | "shipped_at" | "created_at"
>;

/** Stock-ins and incoming transfers merged, newest first (posted/received, else shipped, else created). */
export function recentReceipts(stockIns: readonly StockInLike[], transfers: readonly TransferLike[], limit = 6): RecentReceipt[] {
  const rows: RecentReceipt[] = [
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
