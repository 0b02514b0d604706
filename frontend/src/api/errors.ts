// Turn an ApiError into what the user sees: a message, and errors on the form's fields.
import type { FormInstance } from "antd";
import type { MessageInstance } from "antd/es/message/interface";
import type { TFunction } from "i18next";
import { ApiError } from "./http";

/** The message to show for any error thrown by a request. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === "network_error") return t("error.network");
    if (error.status === 403 && !error.message) return t("error.forbidden");
    if (error.status >= 500) return t("error.server");
    return error.message || t("error.unknown");
  }
  return t("error.unknown");
}

/**
 * Put the API's field errors on the form ("lines.0.quantity" → ["lines", 0, "quantity"]).
 * Returns the messages of fields the form does not have, to show as a message.
 */
export function applyFieldErrors(
  form: FormInstance,
  error: ApiError,
  mapField: (key: string) => string = (key) => key,
): string[] {
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map(String),
  );
  const leftover: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [apiKey, messages] of Object.entries(error.fields)) {
    const key = mapField(apiKey);
    const name = key.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (key !== "non_field_errors" && known.has(String(name[0]))) {
      fields.push({ name, errors: messages });
    } else {
      leftover.push(...messages);
    }
  }
  if (fields.length) form.setFields(fields);
  return leftover;
}

/** Show an error: field errors on the form when given, everything else as a message. */
export function showError(
  error: unknown,
  t: TFunction,
  message: MessageInstance,
  form?: FormInstance,
  mapField?: (key: string) => string,
): void {
  if (form && error instanceof ApiError && Object.keys(error.fields).length) {
    const leftover = applyFieldErrors(form, error, mapField);
    message.error(leftover.length ? leftover.join(" ") : error.message);
    return;
  }
  message.error(errorMessage(error, t));
}
