import { describe, expect, it } from "vitest";
import { barChart, columnChart, compactNumber, lineChart } from "./charts";

describe("report bar charts", () => {
  it("name the colours of two series (in and out) in a legend", () => {
    const option = barChart([{ label: "COLA", values: [5, 3] }], ["In", "Out"]);
    expect(option.legend).toMatchObject({ top: 0 });
    expect(option.grid).toMatchObject({ top: 28 });
    expect(barChart([{ label: "COLA", values: [5] }], ["Turnover"]).legend).toBeUndefined();
  });
});

describe("purchase report charts", () => {
  it("draws one line per supplier, each with its own dates", () => {
    const option = lineChart([
      { series: "S001", date: "2026-11-02", value: 2 },
      { series: "S002", date: "2026-11-03", value: 3 },
      { series: "S001", date: "2026-11-20", value: 2.1 },
    ]);
    const series = option.series as { name: string; data: [string, number][] }[];
    expect(series.map((s) => s.name)).toEqual(["S001", "S002"]);
    expect(series[0].data).toEqual([
      ["2026-11-02", 2],
      ["2026-11-20", 2.1],
    ]);
  });

  it("draws one column per month", () => {
    const option = columnChart(["2026-10", "2026-11"], [310, 120], "Value");
    expect((option.xAxis as { data: string[] }).data).toEqual(["2026-10", "2026-11"]);
    expect((option.series as { data: number[] }[])[0].data).toEqual([310, 120]);
  });
});

describe("bar charts on a phone", () => {
  it("write value-axis numbers short, in the UI's language", () => {
    expect(compactNumber(4_000_000, "zh-CN")).toBe("400万");
    expect(compactNumber(350_000_000, "zh-CN")).toBe("3.5亿");
    expect(compactNumber(1234, "zh-CN")).toBe("1234");
    expect(compactNumber(4_000_000, "en")).toBe("4M");
    expect(compactNumber(12_500, "en")).toBe("12.5k");
    expect(compactNumber(-2_000, "en")).toBe("-2k");
    expect(compactNumber(0.5, "en")).toBe("0.5");
  });

  it("cut long names shorter and draw fewer ticks when narrow", () => {
    const items = [{ label: "WH11 华东区域配送中心第1号常温仓库", values: [1] }];
    const wide = barChart(items, ["Value"]) as { yAxis: { axisLabel: { width: number } }; xAxis: { splitNumber: number } };
    const narrow = barChart(items, ["Value"], { narrow: true }) as typeof wide;
    expect(narrow.yAxis.axisLabel.width).toBeLessThan(wide.yAxis.axisLabel.width);
    expect(narrow.xAxis.splitNumber).toBeLessThan(wide.xAxis.splitNumber);
    expect((barChart(items, ["a", "b"], true).series as { stack?: string }[])[0]!.stack).toBe("total");
  });
});
