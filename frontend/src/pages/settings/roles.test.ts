import { describe, expect, it } from "vitest";
import { groupPermissions } from "./roles";

describe("groupPermissions", () => {
  it("groups a role's permissions by subject, each action once, in the server's order", () => {
    const grouped = groupPermissions({
      permissions: [
        { code: "inventory.add_transfer", action: "新增", subject: "调拨单" },
        { code: "inventory.view_stockmove", action: "查看", subject: "库存流水" },
        { code: "inventory.view_transfer", action: "查看", subject: "调拨单" },
        { code: "inventory.view_transfer_dup", action: "查看", subject: "调拨单" },
      ],
    });
    expect(grouped).toEqual([
      { subject: "调拨单", actions: ["新增", "查看"] },
      { subject: "库存流水", actions: ["查看"] },
    ]);
  });
});
