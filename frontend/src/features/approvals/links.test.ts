import { describe, expect, it } from "vitest";
import { documentPath, roleKey } from "./links";

describe("approval links", () => {
  it("maps the API resource of an approval to the document's page", () => {
    expect(documentPath("stock-outs", 7)).toBe("/inventory/stock-outs/7");
    expect(documentPath("stock-ins", 3)).toBe("/inventory/stock-ins/3");
    expect(documentPath("transfers", 2)).toBe("/inventory/transfers/2");
    expect(documentPath("purchase-orders", 2)).toBe("/purchasing/orders/2");
    expect(documentPath("sales-orders", 2)).toBeNull();
  });
  it("names the seeded roles and leaves an own role as it is", () => {
    expect(roleKey("store_manager")).toBe("approval.role_store_manager");
    expect(roleKey("区域经理")).toBeNull();
  });
});

import { withoutRuleApprove } from "./actions";

describe("the approve button", () => {
  it("is left to the approval card while a rule level is pending", () => {
    const pending = { pending_step: 4, can_decide: true, steps: [] };
    expect(withoutRuleApprove(["approve", "cancel"], pending)).toEqual(["cancel"]);
    expect(withoutRuleApprove(["approve", "cancel"], { ...pending, pending_step: null })).toEqual(["approve", "cancel"]);
  });

  it("stays while a step by permission is pending (a transfer no rule matched)", () => {
    const step = {
      id: 4,
      round: 1,
      sequence: 1,
      role: "",
      scope: "document_store",
      rule_name: "",
      status: "pending",
      requested_by: "keeper1",
      requested_at: "2026-12-06T08:00:00Z",
      decided_by: "",
      decided_at: null,
      comment: "",
    } as const;
    const approval = { pending_step: 4, can_decide: true, steps: [step] };
    expect(withoutRuleApprove(["approve", "cancel"], approval)).toEqual(["approve", "cancel"]);
    const ruled = { ...approval, steps: [{ ...step, role: "store_manager" }] };
    expect(withoutRuleApprove(["approve", "cancel"], ruled)).toEqual(["cancel"]);
  });
});
