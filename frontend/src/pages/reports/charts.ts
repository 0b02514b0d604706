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

/** Vertical bars over time (one per month, oldest first). */
export function columnChart(labels: string[], values: number[], seriesName: string): ChartOption {
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value" },
    series: [{ name: seriesName, type: "bar", data: values }],
  };
}

export interface Point {
  series: string;
  date: string;
  value: number;
}

/** One line per series over dates (a time axis: points need not share dates). */
export function lineChart(points: Point[]): ChartOption {
  const names = [...new Set(points.map((p) => p.series))];
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "time" },
    yAxis: { type: "value", scale: true },
    series: names.map((name) => ({
      name,
      type: "line",
      data: points.filter((p) => p.series === name).map((p) => [p.date, p.value]),
    })),
  };
}
