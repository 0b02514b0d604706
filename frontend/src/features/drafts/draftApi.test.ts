// The draft form's header is typed by its path's request bodies (draftApi.ts, `DraftHeader`): a
// field the path does not take is a type error (checked by `tsc`, which fails if an
// `@ts-expect-error` below stops being an error), the path's own fields pass.
import type { FormItemProps } from "antd";
import { describe, expect, it } from "vitest";
import type { DraftForm, DraftInitial } from "./DraftForm";
import { createDraft, type DraftHeader } from "./draftApi";

type TransferFormProps = Parameters<typeof DraftForm<"/api/v1/transfers/">>[0];
type TransferItem = FormItemProps<DraftHeader<"/api/v1/transfers/">>;

describe("draft form header", () => {
  it("takes only the fields of the path's request bodies", () => {
    const items: TransferItem[] = [
      { name: "from_warehouse" },
      { name: "to_warehouse", dependencies: ["from_warehouse"] },
      // @ts-expect-error a transfer has `from_warehouse` and `to_warehouse`, not `warehouse`
      { name: "warehouse" },
      // @ts-expect-error a renamed field: `to_warehouse`
      { name: "to_warehous" },
    ];
    const warehouseField: TransferFormProps["warehouseField"] = "from_warehouse";
    // @ts-expect-error `reason` is a field of a stock document, not of a transfer
    const otherKind: TransferFormProps["warehouseField"] = "reason";
    const initial: DraftInitial<"/api/v1/stock-ins/"> = { header: { warehouse: 1, reason: null, notes: "" }, lines: [] };
    const misspelt: DraftInitial<"/api/v1/stock-ins/"> = {
      // @ts-expect-error the stock document's field is `warehouse`
      header: { warehose: 1 },
      lines: [],
    };
    // never called: only the type check of the arguments matters
    const create = () => createDraft("/api/v1/transfers/", { from_warehouse: 1, to_warehouse: 2 }, []);
    // @ts-expect-error creating a transfer needs its destination
    const incomplete = () => createDraft("/api/v1/transfers/", { from_warehouse: 1 }, []);
    // @ts-expect-error a brand is no draft document (no lines, no version)
    const notADraft = () => createDraft("/api/v1/brands/", { code: "B", name: "B" }, []);
    expect(items.map((item) => item.name)).toEqual(["from_warehouse", "to_warehouse", "warehouse", "to_warehous"]);
    expect([warehouseField, otherKind]).toEqual(["from_warehouse", "reason"]);
    expect([initial.header.warehouse, misspelt.lines]).toEqual([1, []]);
    expect([create, incomplete, notADraft].map((f) => typeof f)).toEqual(["function", "function", "function"]);
  });
});
