// Printing: document PDFs (GET <document>/pdf/) open in a new tab; label PDFs are POSTed
// (POST /api/v1/labels/) and the returned PDF is shown in a tab opened at the click.
import { client } from "../../api/http";
import type { LabelPrint } from "../../api/contract";

export type LabelSize = NonNullable<LabelPrint["size"]>;
export const LABEL_SIZES: LabelSize[] = ["40x30", "50x30", "a4-3x8"];
export const MAX_LABELS = 1000;

/** The PDF URL of a document, from its API detail URL (".../stock-ins/5/"), in the UI language. */
export function documentPdfUrl(detailUrl: string, language: string): string {
  const base = detailUrl.endsWith("/") ? detailUrl : `${detailUrl}/`;
  return `${base}pdf/?lang=${language.startsWith("en") ? "en" : "zh-hans"}`;
}

/** The total number of labels asked for (whole, positive quantities only). */
export function labelCount(items: { quantity: number | null | undefined }[]): number {
  return items.reduce((sum, item) => sum + Math.max(0, Math.floor(item.quantity ?? 0)), 0);
}

/** Open a tab now (inside the click, so no popup blocker stops it) to show a PDF later. */
export function openPendingTab(): Window | null {
  return window.open("about:blank", "_blank");
}

export function showPdf(blob: Blob, tab: Window | null): void {
  const url = URL.createObjectURL(blob);
  if (tab && !tab.closed) tab.location.href = url;
  else window.open(url, "_blank");
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** POST the label request; the PDF as a Blob, or an ApiError (thrown by the client). */
export async function fetchLabelsPdf(body: LabelPrint, language: string): Promise<Blob> {
  const { data } = await client.POST("/api/v1/labels/", {
    body,
    params: { query: { lang: language.startsWith("en") ? "en" : "zh-hans" } },
    parseAs: "blob",
  });
  return data as Blob;
}
