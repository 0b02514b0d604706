import { describe, expect, it } from "vitest";
import { exportUrl, orderingParam, sortOrderOf } from "./tableState";

describe("list table state", () => {
  it("turns the table's sorter into the API ordering and back", () => {
    expect(orderingParam({ columnKey: "code", order: "ascend" })).toBe("code");
    expect(orderingParam([{ columnKey: "name", order: "descend" }])).toBe("-name");
    expect(orderingParam({ columnKey: "name", order: null })).toBe("");
    expect(orderingParam([])).toBe("");
    expect(sortOrderOf("-name", "name")).toBe("descend");
    expect(sortOrderOf("code", "code")).toBe("ascend");
    expect(sortOrderOf("code", "name")).toBeNull();
  });

  it("exports what the list shows: search and filters, blanks left out", () => {
    expect(exportUrl("/api/v1/locations/", { search: "A 1", warehouse: 3, active: "", ordering: undefined })).toBe(
      "/api/v1/locations/export/?format=xlsx&search=A+1&warehouse=3",
    );
  });
});
