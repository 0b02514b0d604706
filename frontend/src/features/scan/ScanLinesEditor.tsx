// Lines of a document entered by scanning (or typing a barcode + Enter), with editable
// quantities, and per line a batch and a bin location in an expandable row (open by default
// for batch-tracked SKUs and lines with errors): used by stock documents and transfers, and by
// purchase receipts without an order (with a rejected quantity and reason per line).
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { Button, Grid, Input, InputNumber, Space, Table, Tag, Tooltip, Typography } from "antd";
import { DeleteOutlined, SplitCellsOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../api/errors";
import { ApiError } from "../../api/http";
import { ScanInput, type ScanResult } from "./ScanInput";
import { lookupBarcode } from "./lookup";
import { applyScan, removeLine, splitLine, updateLine, type ScanLine } from "./scanLines";
import { compareDecimal, isDecimal, multiplyDecimal } from "../../lib/decimal";
import { formatQuantity } from "../../lib/quantity";
import { isInbound, lineIssues, QUANTITY_ISSUES, quantityIssue, quantityValues, type LineOptions } from "../drafts/draftLines";
import { LineDetails } from "../drafts/LineDetails";
import { LineStock } from "../drafts/LineStock";
import { useLocations } from "../drafts/lineQueries";
import { todayIn } from "../stock/companyTime";
import { useCompanyTimeZone } from "../stock/queries";

type Patch = Partial<Omit<ScanLine, "key">>;

export function useScanLines(options: LineOptions) {
  const { t } = useTranslation();
  const [lines, setLinesState] = useState<ScanLine[]>([]);
  // the server's messages on a line, by line key (cleared when the line is edited)
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  // Scans can come faster than renders: keep the truth in a ref, publish it to the state.
  const ref = useRef<ScanLine[]>([]);
  const setLines = useCallback((next: ScanLine[] | ((current: ScanLine[]) => ScanLine[])) => {
    const value = typeof next === "function" ? next(ref.current) : next;
    ref.current = value;
    setLinesState(value);
  }, []);
  const edit = useCallback(
    (key: string, patch: Patch) => {
      setLines((current) => updateLine(current, key, patch));
      setErrors(({ [key]: _dropped, ...rest }) => rest);
    },
    [setLines],
  );
  const onScan = useCallback(
    async (barcode: string): Promise<ScanResult> => {
      try {
        const hit = await lookupBarcode(barcode, { includeInactive: options.direction !== "in" });
        if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
        const result = applyScan(ref.current, hit);
        setLines(result.lines);
        const text =
          result.outcome === "added"
            ? t("scan.added", { name: hit.skuName })
            : t("scan.incremented", { name: hit.skuName, quantity: 1 });
        return { ok: true, text };
      } catch (error) {
        const refused = error instanceof ApiError && error.status < 500; // e.g. inactive_sku
        const message = errorMessage(error, t);
        return { ok: false, text: refused ? message : `${t("scan.lookupFailed")}: ${message}` };
      }
    },
    [t, setLines, options.direction],
  );
  const valid = lines.length > 0 && lines.every((l) => lineIssues(l, options.direction).length === 0);
  return { lines, setLines, edit, onScan, valid, errors, setErrors, options };
}

export type ScanLinesState = ReturnType<typeof useScanLines>;

/** Batch, expiry and location of a line in a few words (under the SKU). */
function LineSummary({ line, inbound, location }: { line: ScanLine; inbound: boolean; location?: string }) {
  const { t } = useTranslation();
  const batch = (line.batchNo ?? "").trim();
  if (!line.tracked && !location) return null;
  return (
    <Space size={4} wrap style={{ display: "flex", marginTop: 2 }}>
      {line.tracked && (
        <Tag color={batch ? "blue" : inbound ? "gold" : "default"} data-testid={`batch-tag-${line.skuCode}`}>
          {batch ? `${t("lines.batch")} ${batch}` : inbound ? t("lines.noBatch") : t("lines.fefo")}
          {line.expiryDate ? ` · ${t("lines.expires", { date: line.expiryDate })}` : ""}
        </Tag>
      )}
      {location && <Tag>{`${t("lines.location")} ${location}`}</Tag>}
    </Space>
  );
}

export function ScanLinesEditor({ scan, warehouseId }: { scan: ScanLinesState; warehouseId: number | undefined }) {
  const { t } = useTranslation();
  const { lines, setLines, edit, onScan, errors, options } = scan;
  const withLocations = options.locations !== false;
  const locations = useLocations(warehouseId, withLocations);
  const locationOptions = useMemo(
    () => (locations.data ?? []).map((l) => ({ value: l.id, label: l.name ? `${l.code} ${l.name}` : l.code })),
    [locations.data],
  );
  const locationCodes = useMemo(() => new Map((locations.data ?? []).map((l) => [l.id, l.code])), [locations.data]);
  const today = todayIn(useCompanyTimeZone());
  // rows the user opened or closed; the others are open when they need attention
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const expandable = (line: ScanLine) => withLocations || Boolean(line.tracked);
  const expandedKeys = lines
    .filter(
      (line) =>
        expandable(line) &&
        (toggled[line.key] ?? (Boolean(line.tracked) || line.key in errors)),
    )
    .map((line) => line.key);
  const expandedList = expandedKeys.join("\n"); // a stable value while the same rows are open
  const expanded = useMemo(() => new Set(expandedList.split("\n")), [expandedList]);

  // On a phone the line is one cell: the SKU above, unit, quantity, cost and actions below
  // (a wide table would hide the quantity behind a sideways scroll).
  const compact = Grid.useBreakpoint().md === false;
  const columns = useMemo(() => {
    const skuCell = (line: ScanLine) => {
      // what is wrong shows under the fields when the row is open
      const issues = expanded.has(line.key) ? [] : lineIssues(line, options.direction);
      // what is still to fill in is a reminder (the save buttons say it too); the server's refusals are errors
      // (the quantity's own issues show under its field)
      const reminders = issues.filter((issue) => !QUANTITY_ISSUES.includes(issue)).map((issue) => t(issue));
      const problems = errors[line.key] ?? [];
      return (
        <div>
          <span>
            <strong>{line.skuCode}</strong> {line.skuName}
          </span>
          <LineSummary
            line={line}
            inbound={isInbound(line, options.direction)}
            location={line.location ? locationCodes.get(line.location) : undefined}
          />
          {!isInbound(line, options.direction) && <LineStock line={line} lines={lines} warehouseId={warehouseId} />}
          {reminders.map((text) => (
            <Typography.Text key={text} type="warning" style={{ display: "block" }} data-testid={`line-todo-${line.skuCode}`}>
              {text}
            </Typography.Text>
          ))}
          {problems.map((text) => (
            <Typography.Text key={text} type="danger" style={{ display: "block" }} data-testid={`line-error-${line.skuCode}`}>
              {text}
            </Typography.Text>
          ))}
        </div>
      );
    };
    const unitCell = (line: ScanLine) => (
      <span>
        {line.unitName}
        {compareDecimal(line.factor, "1") !== 0 && isDecimal(line.quantity) && (
          <Typography.Text type="secondary" data-testid={`base-${line.skuCode}-${line.unitName}`}>
            {" "}
            = {formatQuantity(multiplyDecimal(line.quantity, line.factor), line.baseUnitName)}
          </Typography.Text>
        )}
      </span>
    );
    const quantityCell = (line: ScanLine) => {
      // zero or too many decimals: said at once, not only by the server after saving
      const issue = quantityIssue(line, options.direction);
      return (
        <div style={{ display: "inline-block", width: compact ? 110 : "100%", verticalAlign: "top" }}>
          <InputNumber<string>
            stringMode
            min={options.direction === "signed" ? undefined : "0"}
            value={line.quantity}
            status={issue ? "error" : undefined}
            aria-label={t("doc.quantity")}
            aria-invalid={issue ? true : undefined}
            data-testid={`qty-${line.skuCode}`}
            placeholder={t("doc.quantity")}
            onChange={(value) => edit(line.key, { quantity: value ?? "" })}
            style={{ width: "100%" }}
          />
          {issue && (
            <Typography.Text type="danger" style={{ display: "block", fontSize: 12 }} data-testid={`qty-error-${line.skuCode}`}>
              {t(issue, quantityValues(line))}
            </Typography.Text>
          )}
        </div>
      );
    };
    const costCell = (line: ScanLine) => (
      <InputNumber<string>
        stringMode
        min="0"
        value={line.unitCost}
        aria-label={t("doc.unitCost")}
        data-testid={`cost-${line.skuCode}`}
        placeholder={options.direction === "out" ? t("doc.unitCost") : t(options.costPlaceholder ?? "lines.costDefault")}
        onChange={(value) => edit(line.key, { unitCost: value ?? undefined })}
        style={{ width: compact ? 110 : "100%" }}
      />
    );
    const rejectedCell = (line: ScanLine) => (
      <InputNumber<string>
        stringMode
        min="0"
        value={line.rejected}
        aria-label={t("purchase.rejected")}
        placeholder={t("purchase.rejected")}
        data-testid={`rejected-${line.skuCode}`}
        onChange={(value) => edit(line.key, { rejected: value ?? undefined })}
        style={{ width: compact ? 110 : "100%" }}
      />
    );
    const reasonCell = (line: ScanLine) => (
      <Input
        value={line.rejectReason}
        maxLength={200}
        aria-label={t("purchase.rejectReason")}
        placeholder={t("purchase.rejectReason")}
        data-testid={`reject-reason-${line.skuCode}`}
        onChange={(event) => edit(line.key, { rejectReason: event.target.value })}
        style={{ width: compact ? 160 : "100%" }}
      />
    );
    const actionsCell = (line: ScanLine) => (
      <Space size={0}>
        {line.tracked && (
          <Tooltip title={t("lines.split")}>
            <Button
              type="text"
              icon={<SplitCellsOutlined />}
              aria-label={t("lines.split")}
              data-testid={`split-${line.skuCode}`}
              onClick={() => setLines((current) => splitLine(current, line.key))}
            />
          </Tooltip>
        )}
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t("doc.remove")}
          onClick={() => setLines((current) => removeLine(current, line.key))}
        />
      </Space>
    );
    if (compact) {
      return [
        {
          title: t("doc.sku"),
          key: "line",
          render: (_v: unknown, line: ScanLine) => (
            <div>
              {skuCell(line)}
              <Space size={6} wrap align="center" style={{ marginTop: 6 }}>
                {quantityCell(line)}
                {unitCell(line)}
                {options.showCost && costCell(line)}
                {options.rejects && rejectedCell(line)}
                {options.rejects && reasonCell(line)}
                {actionsCell(line)}
              </Space>
            </div>
          ),
        },
      ];
    }
    const cell = (render: (line: ScanLine) => ReactNode) => (_v: unknown, line: ScanLine) => render(line);
    return [
      { title: t("doc.sku"), key: "sku", render: cell(skuCell) },
      { title: t("doc.unit"), key: "unit", width: 110, render: cell(unitCell) },
      { title: t("doc.quantity"), key: "quantity", width: 130, render: cell(quantityCell) },
      ...(options.showCost
        ? [{ title: t("doc.unitCost"), key: "unitCost", width: 120, render: cell(costCell) }]
        : []),
      ...(options.rejects
        ? [
            { title: t("purchase.rejected"), key: "rejected", width: 110, render: cell(rejectedCell) },
            { title: t("purchase.rejectReason"), key: "rejectReason", width: 170, render: cell(reasonCell) },
          ]
        : []),
      { title: "", key: "actions", width: 84, render: cell(actionsCell) },
    ];
  }, [t, setLines, edit, errors, options, locationCodes, expanded, compact, lines, warehouseId]);
  return (
    <>
      <ScanInput onScan={onScan} searchable />
      <Table<ScanLine>
        style={{ marginTop: 8 }}
        rowKey="key"
        size="small"
        dataSource={lines}
        columns={columns}
        pagination={false}
        rowClassName={(line) => (line.key in errors ? "sl-line-error" : "")}
        scroll={compact ? undefined : { x: 560 }}
        locale={{ emptyText: t("doc.noLines") }}
        expandable={{
          expandedRowKeys: expandedKeys,
          rowExpandable: expandable,
          onExpand: (open, line) => setToggled((current) => ({ ...current, [line.key]: open })),
          expandedRowRender: (line) => (
            <LineDetails
              line={line}
              options={options}
              warehouseId={warehouseId}
              locations={locationOptions}
              today={today}
              onChange={(patch) => edit(line.key, patch)}
            />
          ),
        }}
      />
    </>
  );
}
