// The dashboard's pure parts: links to the lists its cards count (with the warehouse chosen on
// the dashboard) and the ECharts options of its two charts, from GET /api/v1/dashboard/.
import type { Dashboard, DashboardDay } from "../../api/contract";
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
