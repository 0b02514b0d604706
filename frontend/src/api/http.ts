// The one request wrapper: CSRF header on mutations, X-Language, and API errors
// ({"code","message","fields","details"}) turned into ApiError for messages and form fields.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { newIdempotencyKey } from "../lib/ids";

export interface ApiErrorBody {
  code: string;
  message: string;
  fields: Record<string, string[]>;
  details: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string[]>;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    this.fields = body.fields;
    this.details = body.details;
  }
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let currentLanguage = "zh-CN";

/**
 * The UI language, sent as the X-Language header: the request's explicit choice, so API
 * messages come in the language on screen (it outranks the user's saved language and the
 * browser's Accept-Language; see docs/api.md).
 */
export function setApiLanguage(language: string): void {
  currentLanguage = language;
}

export function apiLanguageHeader(): string {
  return currentLanguage === "en" ? "en" : "zh-Hans";
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Build an ApiError from any failed response (JSON error body, HTML 500, network). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.clone().json();
  } catch {
    body = null;
  }
  if (isErrorBody(body)) {
    return new ApiError(response.status, {
      code: body.code,
      message: body.message,
      fields: body.fields ?? {},
      details: body.details ?? {},
    });
  }
  return new ApiError(response.status, {
    code: response.status >= 500 ? "server_error" : `http_${response.status}`,
    message: response.statusText || `HTTP ${response.status}`,
    fields: {},
    details: {},
  });
}

function withHeaders(method: string, headers: Headers): Headers {
  headers.set("X-Language", apiLanguageHeader());
  headers.set("Accept", headers.get("Accept") ?? "application/json");
  if (MUTATING.has(method.toUpperCase())) {
    const token = readCookie("csrftoken");
    if (token) headers.set("X-CSRFToken", token);
  }
  return headers;
}

const headerMiddleware: Middleware = {
  onRequest({ request }) {
    withHeaders(request.method, request.headers);
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  },
  onError() {
    return new ApiError(0, { code: "network_error", message: "", fields: {}, details: {} });
  },
};

export type Query = Record<string, string | number | boolean | undefined | null>;

function toSearch(query?: Query): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The typed client generated from the OpenAPI schema (src/api/schema.d.ts): every call names a
 * path of the schema ("/api/v1/skus/{id}/") with its path, query and body parameters, so a changed
 * path, parameter or field fails the type check. A failed response throws ApiError (no `error` to
 * check); an empty query value ("", null) is left out, as a cleared filter.
 */
export const client = createClient<paths>({
  baseUrl: "",
  credentials: "same-origin",
  querySerializer: (query) => toSearch(query as Query).slice(1),
});
client.use(headerMiddleware);

/**
 * The parsed body of a typed client call: `await ok(client.GET("/api/v1/units/"))`. Errors
 * are thrown by the client, so what is left is the schema's success type.
 */
export async function ok<T>(pending: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data: body } = await pending;
  return body as T;
}

/**
 * A parameter a query needs and its `enabled` (or the form's validation) guarantees: the value,
 * or an error when the guard was wrong.
 */
export function given<T>(value: T | null | undefined): T {
  if (value === undefined || value === null) throw new Error("a required parameter is missing");
  return value;
}

/** Headers of a mutation that must not run twice (a retried click or a lost response). */
export function idempotent(): { "Idempotency-Key": string } {
  return { "Idempotency-Key": newIdempotencyKey() };
}

/** POST a file as multipart/form-data (imports), with the same headers and errors. */
export async function upload<T>(url: string, form: FormData): Promise<T> {
  const headers = withHeaders("POST", new Headers());
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers, body: form, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, { code: "network_error", message: "", fields: {}, details: {} });
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
