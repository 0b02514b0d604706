import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import { pickerDay } from "./ReportControls";
import { reportErrorLines } from "./ReportTable";

describe("a report's refused filters", () => {
  it("says the API's message, then the field messages it does not already say", () => {
    const error = new ApiError(400, {
      code: "validation_error",
      message: "Invalid filter.",
      fields: { date_from: ["Enter a valid date."], date_to: ["Invalid filter."] },
      details: {},
    });
    expect(reportErrorLines(error, "Invalid filter.")).toEqual(["Invalid filter.", "Enter a valid date."]);
    expect(reportErrorLines(new Error("boom"), "Unknown error")).toEqual(["Unknown error"]);
  });

  it("leaves a URL date that is no calendar day out of the picker", () => {
    expect(pickerDay("2026-02-30")).toBeNull();
    expect(pickerDay("nonsense")).toBeNull();
    expect(pickerDay("2026-02-28")?.format("YYYY-MM-DD")).toBe("2026-02-28");
  });
});
