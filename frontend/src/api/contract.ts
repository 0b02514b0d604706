// Names for the generated schema's types (src/api/schema.d.ts, never edited by hand): pages use
// these, so a change of the API that breaks a page fails the type check of the build.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Me = Schemas["Me"];
export type Warehouse = Schemas["Warehouse"];
export type Unit = Schemas["Unit"];
export type SkuRow = Schemas["Sku"];
export type SkuLookup = Schemas["Lookup"];
export type ProductCreate = Schemas["ProductRequest"];
export type StockBalanceRow = Schemas["StockBalanceRow"];
export type StockMoveRow = Schemas["StockMove"];
export type DocumentStatus = Schemas["StatusEnum"];
export type StockDocumentListRow = Schemas["StockDocumentList"];
export type StockDocumentRow = Schemas["StockDocument"];
export type StockDocumentLineRow = Schemas["StockDocumentLine"];
export type StockDocumentCreate = Schemas["StockDocumentCreateRequest"];
export type TransferListRow = Schemas["TransferList"];
export type TransferRow = Schemas["Transfer"];
export type TransferLineRow = Schemas["TransferLine"];
export type TransferCreate = Schemas["TransferCreateRequest"];
export type TransferReceive = Schemas["ReceiveRequest"];
export type StockCountRow = Schemas["StockCount"];
export type StockCountLineRow = Schemas["StockCountLine"];
export type StockCountCreate = Schemas["StockCountWriteRequest"];
export type StockCountSheet = Schemas["Sheet"];
export type StockCountEntries = Schemas["EntriesResponse"];
export type TransferDestination = Schemas["Destination"];
export type LabelPrint = Schemas["LabelPrintRequest"];
export type Company = Schemas["Company"];
export type Category = Schemas["Category"];
export type StockAtRow = Schemas["StockRow"];
export type BatchRow = Schemas["BatchRow"];
export type LocationRow = Schemas["Location"];
export type LocationStockRow = Schemas["LocationStockRow"];
export type Dashboard = Schemas["Dashboard"];
export type DashboardDay = Schemas["DayMoves"];
export type Brand = Schemas["Brand"];
export type StockSummary = Schemas["StockSummary"];
export type StockSummaryRow = Schemas["StockSummaryRow"];
export type SummaryFigures = Schemas["SummaryFigures"];
export type StockStatus = Schemas["StockStatus"];
export type StockStatusRow = Schemas["StockStatusRow"];
export type StockAgeing = Schemas["StockAgeing"];
export type StockAgeingRow = Schemas["StockAgeingRow"];
export type Store = Schemas["Store"];
