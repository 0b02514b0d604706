// The four kinds of stock document share their pages; what differs is declared here.
import type { AccessKey } from "../../auth/access";
import type { ListPathFor } from "../../api/useList";
import type { StockDocumentListRow } from "../../api/contract";
import type { LineOptions } from "../../features/drafts/draftLines";
import type { DraftPath } from "../../features/drafts/draftApi";
import type { MessageKey } from "../../i18n/keys";

export type StockKind = "stock_in" | "stock_out" | "adjustment" | "scrap";

/** The detail path of each kind in the schema (a renamed path fails the type check). */
export type StockDocDetailPath =
  | "/api/v1/stock-ins/{id}/"
  | "/api/v1/stock-outs/{id}/"
  | "/api/v1/adjustments/{id}/"
  | "/api/v1/scraps/{id}/";

export interface KindConfig {
  kind: StockKind;
  api: ListPathFor<StockDocumentListRow> & DraftPath; // list URL of the API (the draft form saves to it)
  detail: StockDocDetailPath; // a document's URL in the API (its id as {id})
  path: string; // route of the list page
  menuTitle: MessageKey;
  access: AccessKey;
  createAccess: AccessKey;
  lines: LineOptions; // in or out (adjustment: by the sign), a unit cost per line or not
}

export const STOCK_KINDS: KindConfig[] = [
  {
    kind: "stock_in",
    api: "/api/v1/stock-ins/",
    detail: "/api/v1/stock-ins/{id}/",
    path: "/inventory/stock-ins",
    menuTitle: "menu.stockIns",
    access: "stockDocuments",
    createAccess: "stockDocumentsCreate",
    lines: { direction: "in", showCost: true },
  },
  {
    kind: "stock_out",
    api: "/api/v1/stock-outs/",
    detail: "/api/v1/stock-outs/{id}/",
    path: "/inventory/stock-outs",
    menuTitle: "menu.stockOuts",
    access: "stockDocuments",
    createAccess: "stockDocumentsCreate",
    lines: { direction: "out" },
  },
  {
    kind: "adjustment",
    api: "/api/v1/adjustments/",
    detail: "/api/v1/adjustments/{id}/",
    path: "/inventory/adjustments",
    menuTitle: "menu.adjustments",
    access: "stockDocuments",
    createAccess: "stockDocumentsCreate",
    lines: { direction: "signed", showCost: true },
  },
  {
    kind: "scrap",
    api: "/api/v1/scraps/",
    detail: "/api/v1/scraps/{id}/",
    path: "/inventory/scraps",
    menuTitle: "menu.scraps",
    access: "stockDocuments",
    createAccess: "stockDocumentsCreate",
    lines: { direction: "out" },
  },
];

export function kindConfig(kind: StockKind): KindConfig {
  const config = STOCK_KINDS.find((k) => k.kind === kind);
  if (!config) throw new Error(`unknown kind ${kind}`);
  return config;
}

/** The page of the document a stock move came from (for links in the ledger). */
export function documentPath(documentType: string, moveType: string, id: number): string | null {
  if (documentType === "transfer") return `/inventory/transfers/${id}`;
  if (documentType === "stock_count") return `/inventory/stock-counts/${id}`;
  if (documentType === "purchase_receipt") return `/purchasing/receipts/${id}`;
  if (documentType === "purchase_return") return `/purchasing/returns/${id}`;
  if (documentType === "stock_document") {
    const config = STOCK_KINDS.find((k) => k.kind === moveType);
    return config ? `${config.path}/${id}` : null;
  }
  return null;
}
