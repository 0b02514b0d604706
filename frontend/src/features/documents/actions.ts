// The state buttons of a document come from the server: every document in the API carries
// `available_actions`, the actions the requesting user may take on it now (its type's
// registered life cycle, the user's permissions, and rules such as "a reversing document is
// final"). This file only orders them and names their labels.

import type { MessageKey } from "../../i18n/keys";

export type DocumentAction =
  | "start"
  | "submit"
  | "approve"
  | "send"
  | "revise"
  | "ship"
  | "receive"
  | "post"
  | "reverse"
  | "close"
  | "consolidate"
  | "cancel";

const ORDER: DocumentAction[] = [
  "start",
  "submit",
  "approve",
  "send",
  "revise",
  "ship",
  "receive",
  "post",
  "reverse",
  "close",
  "consolidate",
  "cancel",
];

/** The buttons to show for a document's `available_actions`, in life-cycle order (an action
 * this UI does not know yet is left out). */
export function actionButtons(available: readonly string[]): DocumentAction[] {
  return ORDER.filter((action) => available.includes(action));
}

export const ACTION_LABEL: Record<DocumentAction, MessageKey> = {
  start: "doc.start",
  submit: "doc.submit",
  approve: "doc.approve",
  send: "doc.send",
  revise: "doc.revise",
  ship: "doc.ship",
  receive: "doc.receive",
  post: "doc.post",
  reverse: "doc.reverse",
  close: "doc.close",
  consolidate: "doc.consolidate",
  cancel: "doc.cancelDoc",
};
