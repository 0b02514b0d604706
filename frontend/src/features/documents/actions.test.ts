import { describe, expect, it } from "vitest";
import { availableActions } from "./actions";

const all = () => true;

describe("document state buttons", () => {
  it("follow the status of a stock document", () => {
    expect(availableActions("stockdocument", "draft", all)).toEqual(["submit", "post", "cancel"]);
    expect(availableActions("stockdocument", "submitted", all)).toEqual(["approve", "post", "cancel"]);
    expect(availableActions("stockdocument", "posted", all)).toEqual(["reverse"]);
    expect(availableActions("stockdocument", "reversed", all)).toEqual([]);
  });
  it("follow the permissions", () => {
    const keeper = (p: string) =>
      ["inventory.submit_stockdocument", "inventory.post_stockdocument"].includes(p);
    expect(availableActions("stockdocument", "draft", keeper)).toEqual(["submit", "post"]);
    expect(availableActions("stockdocument", "posted", keeper)).toEqual([]);
  });
  it("ship and receive transfers, start and post counts", () => {
    expect(availableActions("transfer", "approved", all)).toEqual(["ship", "cancel"]);
    expect(availableActions("transfer", "shipped", all)).toEqual(["receive"]);
    expect(availableActions("transfer", "partially_received", all)).toEqual(["receive"]);
    expect(availableActions("stockcount", "draft", all)).toEqual(["start", "cancel"]);
    expect(availableActions("stockcount", "counting", all)).toEqual(["submit", "cancel"]);
    expect(availableActions("stockcount", "submitted", all)).toEqual(["approve", "post"]);
  });
  it("never offer to reverse a reversing document", () => {
    expect(availableActions("stockdocument", "posted", all, true)).toEqual([]);
    expect(availableActions("transfer", "posted", all, true)).toEqual([]);
    expect(availableActions("stockcount", "posted", all, true)).toEqual([]);
    expect(availableActions("transfer", "posted", all, false)).toEqual(["reverse"]);
  });
});
