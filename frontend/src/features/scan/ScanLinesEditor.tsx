// Lines of a document entered by scanning (or typing a barcode + Enter), with editable
// quantities: used by stock-ins and transfers.
import { useCallback, useMemo, useRef, useState } from "react";
import { Button, InputNumber, Table, Typography } from "antd";
import { DeleteOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../api/errors";
import { ScanInput, type ScanResult } from "./ScanInput";
import { lookupBarcode } from "./lookup";
import { applyScan, removeLine, setQuantity, type ScanLine } from "./scanLines";
import { compareDecimal, isDecimal, multiplyDecimal } from "../../lib/decimal";
import { formatQuantity } from "../../lib/quantity";

export function useScanLines() {
  const { t } = useTranslation();
  const [lines, setLinesState] = useState<ScanLine[]>([]);
  // Scans can come faster than renders: keep the truth in a ref, publish it to the state.
  const ref = useRef<ScanLine[]>([]);
  const setLines = useCallback((next: ScanLine[] | ((current: ScanLine[]) => ScanLine[])) => {
    const value = typeof next === "function" ? next(ref.current) : next;
    ref.current = value;
    setLinesState(value);
  }, []);
  const onScan = useCallback(
    async (barcode: string): Promise<ScanResult> => {
      try {
        const hit = await lookupBarcode(barcode);
        if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
        const result = applyScan(ref.current, hit);
        setLines(result.lines);
        const text =
          result.outcome === "added"
            ? t("scan.added", { name: hit.skuName })
            : t("scan.incremented", { name: hit.skuName, quantity: 1 });
        return { ok: true, text };
      } catch (error) {
        return { ok: false, text: `${t("scan.lookupFailed")}: ${errorMessage(error, t)}` };
      }
    },
    [t, setLines],
  );
  const valid = lines.length > 0 && lines.every((l) => isDecimal(l.quantity));
  return { lines, setLines, onScan, valid };
}

export function ScanLinesEditor({
  lines,
  setLines,
  onScan,
  showCost = false,
  signed = false,
}: ReturnType<typeof useScanLines> & { showCost?: boolean; signed?: boolean }) {
  const { t } = useTranslation();
  const columns = useMemo(
    () => [
      {
        title: t("doc.sku"),
        key: "sku",
        render: (_v: unknown, line: ScanLine) => (
          <span>
            <strong>{line.skuCode}</strong> {line.skuName}
          </span>
        ),
      },
      {
        title: t("doc.unit"),
        key: "unit",
        width: 110,
        render: (_v: unknown, line: ScanLine) => (
          <span>
            {line.unitName}
            {compareDecimal(line.factor, "1") !== 0 && isDecimal(line.quantity) && (
              <Typography.Text type="secondary" data-testid={`base-${line.skuCode}-${line.unitName}`}>
                {" "}
                = {formatQuantity(multiplyDecimal(line.quantity, line.factor), line.baseUnitName)}
              </Typography.Text>
            )}
          </span>
        ),
      },
      {
        title: t("doc.quantity"),
        key: "quantity",
        width: 130,
        render: (_v: unknown, line: ScanLine) => (
          <InputNumber<string>
            stringMode
            min={signed ? undefined : "0"}
            value={line.quantity}
            aria-label={t("doc.quantity")}
            data-testid={`qty-${line.skuCode}`}
            onChange={(value) => setLines((current) => setQuantity(current, line.key, value ?? ""))}
            style={{ width: "100%" }}
          />
        ),
      },
      ...(showCost
        ? [
            {
              title: t("doc.unitCost"),
              key: "unitCost",
              width: 120,
              render: (_v: unknown, line: ScanLine) => (
                <InputNumber<string>
                  stringMode
                  min="0"
                  value={line.unitCost}
                  aria-label={t("doc.unitCost")}
                  onChange={(value) =>
                    setLines((current) =>
                      current.map((l) => (l.key === line.key ? { ...l, unitCost: value ?? undefined } : l)),
                    )
                  }
                  style={{ width: "100%" }}
                />
              ),
            },
          ]
        : []),
      {
        title: "",
        key: "remove",
        width: 48,
        render: (_v: unknown, line: ScanLine) => (
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t("doc.remove")}
            onClick={() => setLines((current) => removeLine(current, line.key))}
          />
        ),
      },
    ],
    [t, setLines, showCost, signed],
  );
  return (
    <>
      <ScanInput onScan={onScan} />
      <Table<ScanLine>
        style={{ marginTop: 8 }}
        rowKey="key"
        size="small"
        dataSource={lines}
        columns={columns}
        pagination={false}
        scroll={{ x: 520 }}
        locale={{ emptyText: t("doc.noLines") }}
      />
    </>
  );
}
