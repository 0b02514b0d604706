import { describe, expect, it } from "vitest";
import { rowErrors } from "./rowErrors";

describe("import row errors", () => {
  it("lists each row's field errors", () => {
    expect(
      rowErrors({
        rows: [
          { row: 3, code: "X", fields: { code: ["A SKU with the code X already exists."] } },
          { row: 5, fields: { base_unit: ["Unknown unit.", "Required."], name: ["Required."] } },
        ],
      }),
    ).toEqual([
      { key: "3:code", row: 3, code: "X", field: "code", messages: "A SKU with the code X already exists." },
      { key: "5:base_unit", row: 5, code: "", field: "base_unit", messages: "Unknown unit. Required." },
      { key: "5:name", row: 5, code: "", field: "name", messages: "Required." },
    ]);
  });
  it("ignores anything else", () => {
    expect(rowErrors({})).toEqual([]);
    expect(rowErrors({ rows: [null, { row: "x" }, 7] })).toEqual([]);
  });
});
