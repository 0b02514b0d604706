// Which state buttons a document shows: by its type, its status and the user's permissions
// (mirrors the services' transitions; the server has the last word and answers 409/403).
import type { DocumentStatus } from "../../api/contract";

export type DocumentType = "stockdocument" | "transfer" | "stockcount";
export type DocumentAction =
  | "start"
  | "submit"
  | "approve"
  | "ship"
  | "receive"
  | "post"
  | "reverse"
  | "cancel";

interface Rule {
  from: DocumentStatus[];
  permission: (type: DocumentType) => string;
}

const perm = (verb: string) => (type: DocumentType) => `inventory.${verb}_${type}`;

const RULES: Record<DocumentType, Partial<Record<DocumentAction, Rule>>> = {
  stockdocument: {
    submit: { from: ["draft"], permission: perm("submit") },
    approve: { from: ["submitted"], permission: perm("approve") },
    post: { from: ["draft", "submitted", "approved"], permission: perm("post") },
    reverse: { from: ["posted"], permission: perm("reverse") },
    cancel: { from: ["draft", "submitted"], permission: perm("change") },
  },
  transfer: {
    submit: { from: ["draft"], permission: perm("submit") },
    approve: { from: ["submitted"], permission: perm("approve") },
    ship: { from: ["draft", "submitted", "approved"], permission: () => "inventory.ship_transfer" },
    receive: {
      from: ["shipped", "partially_received"],
      permission: () => "inventory.receive_transfer",
    },
    reverse: { from: ["posted"], permission: perm("reverse") },
    cancel: { from: ["draft", "submitted", "approved"], permission: perm("change") },
  },
  stockcount: {
    start: { from: ["draft"], permission: perm("change") },
    submit: { from: ["counting"], permission: perm("submit") },
    approve: { from: ["submitted"], permission: perm("approve") },
    post: { from: ["submitted", "approved"], permission: perm("post") },
    reverse: { from: ["posted"], permission: perm("reverse") },
    cancel: { from: ["draft", "counting"], permission: perm("change") },
  },
};

const ORDER: DocumentAction[] = [
  "start",
  "submit",
  "approve",
  "ship",
  "receive",
  "post",
  "reverse",
  "cancel",
];

// `isReversal`: the document is itself a reversing document (红冲), which is final: the
// server refuses to reverse it (409 reversal_of_reversal), so no Reverse button.
export function availableActions(
  type: DocumentType,
  status: DocumentStatus,
  hasPermission: (permission: string) => boolean,
  isReversal = false,
): DocumentAction[] {
  return ORDER.filter((action) => {
    if (action === "reverse" && isReversal) return false;
    const rule = RULES[type][action];
    return rule !== undefined && rule.from.includes(status) && hasPermission(rule.permission(type));
  });
}

export const ACTION_LABEL: Record<DocumentAction, string> = {
  start: "doc.start",
  submit: "doc.submit",
  approve: "doc.approve",
  ship: "doc.ship",
  receive: "doc.receive",
  post: "doc.post",
  reverse: "doc.reverse",
  cancel: "doc.cancelDoc",
};
