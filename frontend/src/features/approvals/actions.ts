// A document's approve button: with approval rules the level waiting now is decided in the
// approval card (approve or reject with a comment), so the state buttons leave it out; without
// rules (approval by permission) they keep it.
import type { DocumentApproval } from "../../api/contract";

export function withoutRuleApprove(available: readonly string[], approval: DocumentApproval | undefined): string[] {
  return approval?.pending_step ? available.filter((action) => action !== "approve") : [...available];
}
