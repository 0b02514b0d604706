// Type-level check (tsc only, never imported): message keys are typed. If t("…") or MessageKey
// accepted any string again, the @ts-expect-error lines below would be unused and fail the build.
import i18n from "i18next";
import type { MessageKey } from "./keys";

export const known: MessageKey[] = ["app.name", "doc.status_draft", "purchaseReports.overdueAlert"];
// @ts-expect-error a misspelt key is not a message key
export const misspelt: MessageKey = "app.nmae";
// @ts-expect-error t() refuses a key that is not in the messages
export const translated = i18n.t("menu.noSuchMenu");
