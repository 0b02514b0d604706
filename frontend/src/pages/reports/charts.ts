// ECharts options of the report pages (horizontal bars: long SKU names stay readable on a phone).
import type { ChartOption } from "../../components/EChart";

export interface Bar {
  label: string;
  values: number[];
}

/** One horizontal bar per item, one series per name; the first item is drawn at the top. */
export function barChart(items: Bar[], seriesNames: string[], stacked = false): ChartOption {
  const top = [...items].reverse(); // ECharts draws the first category at the bottom
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: {
      type: "category",
      data: top.map((item) => item.label),
      axisLabel: { width: 110, overflow: "truncate" },
    },
    series: seriesNames.map((name, index) => ({
      name,
      type: "bar",
      stack: stacked ? "total" : undefined,
      data: top.map((item) => item.values[index]),
    })),
  };
}

export function chartHeight(rows: number): number {
  return Math.max(160, Math.min(rows, 15) * 28 + 40);
}

export function toNumber(value: string | null | undefined): number {
  return value ? Number(value) : 0;
}
