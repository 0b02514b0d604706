// DocumentActions takes a document path template of the schema and types `custom`/`confirmNote`
// by the actions the schema has for it: checked by `tsc`, which fails if an `@ts-expect-error`
// below stops being an error.
import { describe, expect, it } from "vitest";
import type { ActionOf, DocumentActions, DocumentPath } from "./DocumentActions";

type PropsOf<P extends DocumentPath> = Parameters<typeof DocumentActions<P>>[0];

describe("document action types", () => {
  it("refuses a path without actions and an action the document type does not have", () => {
    // @ts-expect-error the SKU path has no document actions
    const noActions: DocumentPath = "/api/v1/skus/{id}/";
    // @ts-expect-error a purchase receipt is never shipped (a transfer is)
    const shipReceipt: ActionOf<"/api/v1/purchase-receipts/{id}/"> = "ship";
    const receive: PropsOf<"/api/v1/transfers/{id}/"> = {
      path: "/api/v1/transfers/{id}/",
      id: 1,
      available: ["receive"],
      custom: { receive: () => undefined },
    };
    const wrongCustom: PropsOf<"/api/v1/purchase-receipts/{id}/"> = {
      path: "/api/v1/purchase-receipts/{id}/",
      id: 1,
      available: [],
      // @ts-expect-error a purchase receipt has no `receive` action to take over
      custom: { receive: () => undefined },
    };
    expect([noActions, shipReceipt, receive.path, wrongCustom.id]).toHaveLength(4);
  });
});
