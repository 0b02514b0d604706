import { describe, expect, it } from "vitest";
import { columnChart, lineChart } from "./charts";

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
