// ECharts options of the report pages (horizontal bars: long SKU names stay readable on a phone).
import type { ChartOption } from "../../components/EChart";
import i18n from "../../i18n";

export interface Bar {
  label: string;
  values: number[];
}

/**
 * A value-axis number in few characters: 1.2万 / 3亿 in Chinese, 12k / 3.5M in English (the
 * full "1,200,000" labels ran into each other on a phone).
 */
export function compactNumber(value: number, language = "zh-CN", digits = 1): string {
  const steps: [number, string][] = language.startsWith("en")
    ? [
        [1e9, "B"],
        [1e6, "M"],
        [1e3, "k"],
      ]
    : [
        [1e8, "亿"],
        [1e4, "万"],
      ];
  const size = Math.abs(value);
  for (const [step, suffix] of steps) {
    if (size >= step) return `${Number((value / step).toFixed(digits))}${suffix}`;
  }
  return String(Number(value.toFixed(2)));
}

export interface BarChartLayout {
  stacked?: boolean;
  narrow?: boolean; // a phone: shorter item names and fewer value ticks
  language?: string; // of the value axis' numbers (default: the UI's, when drawn)
}

/** One horizontal bar per item, one series per name; the first item is drawn at the top. */
export function barChart(items: Bar[], seriesNames: string[], layout: BarChartLayout | boolean = {}): ChartOption {
  const { stacked = false, narrow = false, language } = typeof layout === "boolean" ? { stacked: layout } : layout;
  const top = [...items].reverse(); // ECharts draws the first category at the bottom
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true }, // the full name
    // two series or more (in and out): a legend names their colours
    legend: seriesNames.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 24, top: seriesNames.length > 1 ? 28 : 8, bottom: 8, containLabel: true },
    xAxis: {
      type: "value",
      splitNumber: narrow ? 2 : 4,
      axisLabel: { formatter: (value: number) => compactNumber(value, language ?? i18n.language), hideOverlap: true },
    },
    yAxis: {
      type: "category",
      data: top.map((item) => item.label),
      axisLabel: { width: narrow ? 84 : 110, overflow: "truncate" },
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
