// A document's approve button: with approval rules the level waiting now is decided in the
// approval card (approve or reject with a comment), so the state buttons leave it out; without
// rules (approval by permission) they keep it — also while a step by permission waits (a
// transfer no rule matched: it waits in the inbox, and its own approve button decides it).
import type { DocumentApproval } from "../../api/contract";

/** Whether the level waiting now is a step by permission (no rule matched; role ""). */
export function pendingByPermission(approval: DocumentApproval | undefined): boolean {
  if (!approval?.pending_step) return false;
  const step = approval.steps.find((s) => s.id === approval.pending_step);
  return step !== undefined && !step.role;
}

export function withoutRuleApprove(available: readonly string[], approval: DocumentApproval | undefined): string[] {
  return approval?.pending_step && !pendingByPermission(approval)
    ? available.filter((action) => action !== "approve")
    : [...available];
}
