// The type of a message key: what t("…") accepts. Maps of values to labels (status → key, kind →
// key) are typed `Record<Value, MessageKey>` so a misspelt or missing key fails the type check.
import type { ParseKeys } from "i18next";

/** A key of the messages (zh-CN.ts / en.ts), e.g. "doc.status.draft"; plural keys without _one/_other. */
export type MessageKey = ParseKeys<"translation">;

/**
 * The key of `value` in a label map whose values come from the server as plain strings (e.g. an
 * open item's kind): undefined for a value the map does not know, so the caller shows it as is.
 */
export function labelKey<V extends string>(labels: Record<V, MessageKey>, value: string): MessageKey | undefined {
  return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value as V] : undefined;
}
