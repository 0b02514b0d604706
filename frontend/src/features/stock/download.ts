// Download a file the API builds (the stock lists' xlsx/csv exports): the same session cookie
// and Accept-Language as every request, the server's error message when it refuses (e.g. too
// many rows), and the file name the server gives.
import { ApiError, apiLanguageHeader, errorFromResponse, type Query } from "../../api/http";

export type ExportFormat = "xlsx" | "csv" | "pdf";

/** The file name of a Content-Disposition header (RFC 6266: filename* first), or `fallback`. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // a malformed encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = plain ? (plain[1] ?? plain[2]).trim() : "";
  return name || fallback;
}

/** `<list url>export/?format=…&<filters>`: the export URL of a stock list with its filters. */
export function exportUrl(listUrl: string, format: ExportFormat, query: Query): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  return `${listUrl}export/?${params.toString()}`;
}

/** Fetch `url` and offer it as a download; returns the file name. Throws ApiError. */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      headers: { "Accept-Language": apiLanguageHeader() },
    });
  } catch {
    throw new ApiError(0, { code: "network_error", message: "", fields: {}, details: {} });
  }
  if (!response.ok) throw await errorFromResponse(response);
  const name = filenameFromDisposition(response.headers.get("Content-Disposition"), fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
  return name;
}
