import { describe, expect, it } from "vitest";
import { actionButtons } from "./actions";

describe("document state buttons", () => {
  it("show the server's available actions in life-cycle order", () => {
    expect(actionButtons(["cancel", "post", "submit"])).toEqual(["submit", "post", "cancel"]);
    expect(actionButtons(["receive"])).toEqual(["receive"]);
    expect(actionButtons([])).toEqual([]);
    expect(actionButtons(["cancel", "close", "send"])).toEqual(["send", "close", "cancel"]);
  });
  it("leave out an action this UI does not know", () => {
    expect(actionButtons(["close_order", "reverse"])).toEqual(["reverse"]);
  });
});
