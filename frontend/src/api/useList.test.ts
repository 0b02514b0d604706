// A list's filters are typed by its GET query parameters in the generated client (useList.ts,
// `ListFilters`): a filter name the list does not have is a type error (checked by `tsc`, which
// fails if an `@ts-expect-error` below stops being an error), a known one with its kind passes.
import { describe, expect, it } from "vitest";
import { useList, type ListFilters } from "./useList";

describe("list filters", () => {
  it("refuses a filter the list does not have", () => {
    // never called (a hook outside a component): only the type check of its arguments matters
    const misspelt = () =>
      useList("/api/v1/stock-moves/", {
        // @ts-expect-error the stock ledger's filter is `move_type`
        movetype: "sale",
      });
    const otherList = () =>
      useList("/api/v1/stock-moves/", {
        // @ts-expect-error `active` is a filter of the SKU list, not of the stock ledger
        active: true,
      });
    const paging: ListFilters<"/api/v1/stock-moves/"> = {
      // @ts-expect-error the hook sets the page itself
      page: 2,
    };
    const wrongKind: ListFilters<"/api/v1/stock-moves/"> = {
      // @ts-expect-error a warehouse is an id, not a code
      warehouse: "WH1",
    };
    const known: ListFilters<"/api/v1/stock-moves/"> = { move_type: "sale", warehouse: 1, date_from: undefined };
    expect([misspelt, otherList].map((f) => typeof f)).toEqual(["function", "function"]);
    expect([paging, wrongKind, known]).toHaveLength(3);
  });
});
