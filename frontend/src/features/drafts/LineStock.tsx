// On hand and available of a line's SKU in the document's warehouse, shown while quantities are
// typed on outgoing lines (stock-out, scrap, transfer); the lines of one SKU together asking
// for more than is available are flagged before saving.
import { useQuery } from "@tanstack/react-query";
import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { addDecimal, compareDecimal, isDecimal, multiplyDecimal } from "../../lib/decimal";
import { formatQty } from "../../lib/format";
import type { ScanLine } from "../scan/scanLines";

export function useSkuStock(skuId: number, warehouseId: number | undefined) {
  return useQuery({
    queryKey: ["/api/v1/stock-balances/", "line-stock", skuId, warehouseId],
    queryFn: () =>
      ok(client.GET("/api/v1/stock-balances/", { params: { query: { sku: skuId, warehouse: warehouseId, group_by: "warehouse_sku" } } })),
    select: (page) => page.results[0] ?? null,
    enabled: warehouseId !== undefined,
    staleTime: 10_000,
  });
}

/** The base quantity all `lines` of `skuId` ask for ("" when one is not a number). */
export function requestedBase(lines: readonly ScanLine[], skuId: number): string {
  let total = "0";
  for (const line of lines) {
    if (line.skuId !== skuId) continue;
    if (!isDecimal(line.quantity)) return "";
    total = addDecimal(total, multiplyDecimal(line.quantity, line.factor));
  }
  return total;
}

export function LineStock({
  line,
  lines,
  warehouseId,
}: {
  line: ScanLine;
  lines: readonly ScanLine[];
  warehouseId: number | undefined;
}) {
  const { t } = useTranslation();
  const stock = useSkuStock(line.skuId, warehouseId);
  if (warehouseId === undefined || stock.isPending || stock.isError) return null;
  const onHand = stock.data?.on_hand ?? "0";
  const available = stock.data?.available ?? "0";
  const requested = requestedBase(lines, line.skuId);
  const short = requested !== "" && compareDecimal(requested, available) > 0;
  return (
    <Typography.Text
      type={short ? "danger" : "secondary"}
      style={{ display: "block", fontSize: 12 }}
      data-testid={`line-stock-${line.skuCode}`}
    >
      {t("lines.stock", { onHand: formatQty(onHand), available: formatQty(available), unit: line.baseUnitName })}
      {short ? ` · ${t("lines.moreThanAvailable")}` : ""}
    </Typography.Text>
  );
}
