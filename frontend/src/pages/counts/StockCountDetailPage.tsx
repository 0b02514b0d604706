import { useCallback, useState } from "react";
import { useParams } from "react-router";
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Collapse,
  Grid,
  Input,
  Popconfirm,
  Segmented,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from "antd";
import { EditOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, ok, idempotent } from "../../api/http";
import { errorMessage, showError } from "../../api/errors";
import { useAuth } from "../../auth/auth";
import { hasPermission } from "../../auth/access";
import { SetCountInput } from "./SetCountInput";
import { BatchPicker, type BatchChoice } from "./BatchPicker";
import { CountHeaderForm, CountHeaderView } from "./CountHeader";
import type { StockCountLineRow } from "../../api/contract";
import { DocumentActions } from "../../features/documents/DocumentActions";
import { StatusTag } from "../../features/documents/StatusTag";
import { PrintButton } from "../../features/printing/PrintButton";
import { ScanInput, type ScanResult } from "../../features/scan/ScanInput";
import { normalizeDecimal } from "../../lib/decimal";
import { LoadFailed } from "../../components/LoadFailed";
import { ListTable } from "../../components/ListTable";
import { formatAmount, formatAmountGrouped } from "../../lib/format";
import { filterSheet, liveDifference, sheetCounts, type SheetView } from "./sheetFilter";

export function StockCountDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const url = `/api/v1/stock-counts/${id}/`;
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const [selected, setSelected] = useState<number[]>([]);
  const [recountMode, setRecountMode] = useState<boolean | null>(null); // null: on when requested
  const [editing, setEditing] = useState(0); // 0: viewing; else the edit session (remounts the form)
  const [view, setView] = useState<SheetView>("all");
  const [lineSearch, setLineSearch] = useState("");
  const [picking, setPicking] = useState<{ barcode: string; sku: string } | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const phone = Grid.useBreakpoint().sm === false;
  const count = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/stock-counts/{id}/", { params: { path: { id: Number(id) } } })) });
  const sheet = useQuery({
    queryKey: [url, "sheet"],
    queryFn: () => ok(client.GET("/api/v1/stock-counts/{id}/sheet/", { params: { path: { id: Number(id) } } })),
  });

  const recountPending = (sheet.data?.lines ?? []).some((line) => line.recount_requested);
  const recountScan = recountPending && (recountMode ?? true);

  const countScan = useCallback(
    async (barcode: string, choice: BatchChoice = {}): Promise<ScanResult> => {
      try {
        const result = await ok(client.POST("/api/v1/stock-counts/{id}/entries/", { params: { path: { id: Number(id) } }, body: { barcode, quantity: "1", ...choice, ...(recountScan ? { recount: true } : {}) }, headers: idempotent() }));
        const line = result.lines[0];
        await queryClient.invalidateQueries({ queryKey: [url, "sheet"] });
        if (!line) return { ok: true, text: "" };
        return {
          ok: true,
          text: t("count.scanned", {
            name: line.batch_no ? `${line.sku_name} ${t("countBatch.batch", { batch: line.batch_no })}` : line.sku_name,
            quantity: normalizeDecimal(line.counted_quantity ?? "0"),
          }),
        };
      } catch (error) {
        if (error instanceof ApiError && error.code === "batch_required" && typeof error.details.sku === "string") {
          // several batches of this SKU in the count: ask which one is in hand
          setPicking({ barcode, sku: error.details.sku });
          return { ok: false, text: t("countBatch.pick") };
        }
        return { ok: false, text: errorMessage(error, t) };
      }
    },
    [url, t, queryClient, recountScan],
  );
  const onScan = useCallback((barcode: string) => countScan(barcode), [countScan]);

  const recount = useMutation({
    mutationFn: (lines: number[]) =>
      ok(client.POST("/api/v1/stock-counts/{id}/recount/", { params: { path: { id: Number(id) } }, body: { lines }, headers: idempotent() })),
    onSuccess: async () => {
      message.success(t("countEdit.recountRequested"));
      setSelected([]);
      await queryClient.invalidateQueries({ queryKey: [url] });
    },
    onError: (error) => showError(error, t, message),
  });

  if (count.isError) return <LoadFailed error={count.error} />;
  if (count.isLoading || !count.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const doc = count.data;
  const hidden = sheet.data?.book_hidden ?? doc.book_hidden;
  const totals = sheet.data?.totals;
  const allLines = sheet.data?.lines ?? [];
  const shownLines = filterSheet(allLines, view, lineSearch);
  const viewCounts = sheetCounts(allLines);
  const show = (value: string | null | undefined) => (value === null || value === undefined ? "" : normalizeDecimal(value));
  const counting = doc.status === "counting";
  const skuCell = (line: StockCountLineRow) => (
    <span>
      {`${line.sku_code} ${line.sku_name}`}
      {line.recount_requested && (
        <Tag color="orange" style={{ marginLeft: 4 }} data-testid={`recount-${line.sku_code}`}>
          {t("countEdit.recountTag")}
        </Tag>
      )}
    </span>
  );
  const canSetCount = counting && hasPermission(me, "inventory.count_stockcount");
  const canRecount = counting && hasPermission(me, "inventory.change_stockcount");
  const canEdit = doc.status === "draft" && hasPermission(me, "inventory.change_stockcount");

  // While counting, the scan box comes first (on a phone the header folds away under it).
  const header = phone ? (
    <Collapse
      size="small"
      style={{ marginTop: counting ? 8 : 0 }}
      items={[
        {
          key: "header",
          label: (
            <Space size={4} wrap>
              {t("count.headerInfo")}
              <StatusTag status={doc.status} />
            </Space>
          ),
          children: <CountHeaderView count={doc} status={false} />,
        },
      ]}
      defaultActiveKey={counting ? [] : ["header"]}
    />
  ) : (
    <div style={{ marginTop: counting ? 16 : 0 }}>
      <CountHeaderView count={doc} />
    </div>
  );

  if (editing && canEdit) {
    return (
      <Card title={t("draft.editTitle", { number: doc.number })}>
        <CountHeaderForm
          key={`${doc.version}-${editing}`}
          count={doc}
          url={url}
          onDone={() => setEditing(0)}
          onReload={() => {
            void count.refetch().then(() => setEditing((n) => n + 1));
          }}
        />
      </Card>
    );
  }

  return (
    <Card
      title={t("count.detail", { number: doc.number })}
      extra={
        <Space wrap>
          <DocumentActions
            path="/api/v1/stock-counts/{id}/"
            id={doc.id}
            available={doc.available_actions}
            confirmNote={
              totals && totals.counted_lines < totals.lines
                ? {
                    submit: (
                      <Typography.Text type="warning" data-testid="uncounted-warning">
                        {t(doc.uncounted_as_zero ? "count.uncountedZero" : "count.uncountedBook", {
                          count: totals.lines - totals.counted_lines,
                        })}
                      </Typography.Text>
                    ),
                  }
                : undefined
            }
          />
          {canEdit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(1)} data-testid="count-header-edit">
              {t("draft.edit")}
            </Button>
          )}
          <PrintButton url={url} />
        </Space>
      }
    >
      {!counting && header}
      <div style={{ marginTop: counting ? 0 : 16 }} data-testid="count-scan-area">
        {doc.status === "counting" ? (
          <>
            {recountPending && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                message={t("countEdit.recountHint")}
                description={
                  <Space>
                    <Typography.Text>{t("countEdit.recountMode")}</Typography.Text>
                    <Switch
                      checked={recountScan}
                      onChange={(checked) => setRecountMode(checked)}
                      aria-label={t("countEdit.recountMode")}
                      data-testid="recount-mode"
                    />
                  </Space>
                }
              />
            )}
            <ScanInput onScan={onScan} />
            {picking && (
              <BatchPicker
                sku={picking.sku}
                hidden={hidden}
                lines={allLines.filter((line) => line.sku_code === picking.sku)}
                onCancel={() => setPicking(null)}
                onPick={(choice) => {
                  const { barcode } = picking;
                  setPicking(null);
                  void countScan(barcode, choice).then((result) => {
                    if (result.ok) message.success(result.text);
                    else message.error(result.text);
                  });
                }}
              />
            )}
          </>
        ) : doc.status === "draft" ? (
          <Alert type="info" showIcon message={t("count.startFirst")} />
        ) : null}
      </div>
      {counting && header}
      {totals && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="count-totals">
          {t("count.countedLines", { counted: totals.counted_lines, lines: totals.lines })}
          {totals.gain_quantity !== null && totals.loss_quantity !== null && (
            // Once submitted (and not blind to this user): what the count gains and loses, and
            // — for those who see costs — its value, which the approval threshold is about.
            <span data-testid="count-variance">
              {" · "}
              {t("count.variance", { gain: show(totals.gain_quantity), loss: show(totals.loss_quantity) })}
              {totals.difference_value !== null &&
                ` · ${t("count.varianceValue", {
                  gain: formatAmountGrouped(totals.gain_value),
                  loss: formatAmountGrouped(totals.loss_value),
                  net: formatAmountGrouped(totals.difference_value),
                })}`}
            </span>
          )}
        </Typography.Paragraph>
      )}
      {canRecount && !phone && (
        <Space style={{ marginBottom: 8 }} wrap>
          <Popconfirm
            title={t("countEdit.confirmRecount")}
            okText={t("countEdit.recountOk")}
            cancelText={t("common.cancel")}
            onConfirm={() => recount.mutate(selected)}
            disabled={selected.length === 0}
          >
            <Button disabled={selected.length === 0} loading={recount.isPending} data-testid="request-recount">
              {t("countEdit.requestRecount", { count: selected.length })}
            </Button>
          </Popconfirm>
        </Space>
      )}
      <Space
        wrap
        direction={phone ? "vertical" : "horizontal"}
        style={{ marginBottom: 8, width: phone ? "100%" : undefined }}
      >
        <Segmented<SheetView>
          value={view}
          onChange={(next) => {
            setView(next);
            setPage(1);
          }}
          data-testid="sheet-view"
          options={(["all", "uncounted", "difference", "recount"] as const)
            .filter((option) => option !== "difference" || !hidden)
            .map((option) => ({ value: option, label: `${t(`countSheet.${option}`)} (${viewCounts[option]})` }))}
        />
        <Input.Search
          allowClear
          value={lineSearch}
          onChange={(event) => {
            setLineSearch(event.target.value);
            setPage(1);
          }}
          placeholder={t("countSheet.search")}
          aria-label={t("countSheet.search")}
          style={{ width: phone ? "100%" : 240 }}
        />
      </Space>
      <ListTable<StockCountLineRow>
        testId="count-sheet"
        list={{ query: sheet, rows: shownLines }}
        rowSelection={
          canRecount
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(Number)),
              }
            : undefined
        }
        size="small"
        pagination={{
          current: page,
          pageSize,
          total: shownLines.length,
          onChange: (next, size) => {
            setPage(next);
            setPageSize(size);
          },
          showSizeChanger: true,
          hideOnSinglePage: true,
        }}
        scroll={{ x: canSetCount ? 1110 : 870 }}
        columns={[
          { title: t("doc.sku"), key: "sku", render: (_v, line) => skuCell(line) },
          {
            title: t("lines.batchNo"),
            key: "batch_no",
            width: 120,
            render: (_v, line) => <span data-testid={`batch-no-${line.id}`}>{line.batch_no}</span>,
          },
          {
            title: t("lines.expiryDate"),
            key: "expiry_date",
            width: 110,
            render: (_v, line) => line.expiry_date ?? "",
          },
          ...(hidden
            ? []
            : [
                {
                  title: t("count.book"),
                  key: "book",
                  align: "right" as const,
                  width: 90,
                  render: (_v: unknown, line: StockCountLineRow) => show(line.expected_quantity ?? line.book_quantity),
                },
              ]),
          {
            title: t("count.counted"),
            key: "counted",
            align: "right",
            width: 90,
            render: (_v, line) =>
              line.counted_quantity === null ? (
                <Typography.Text type="secondary">{t("count.notCounted")}</Typography.Text>
              ) : (
                <span data-testid={`counted-${line.sku_code}`}>{show(line.counted_quantity)}</span>
              ),
          },
          ...(canSetCount
            ? [
                {
                  title: t("countEdit.setCount"),
                  key: "set_count",
                  width: 190,
                  render: (_v: unknown, line: StockCountLineRow) => (
                    <SetCountInput key={`${line.id}-${line.counted_quantity ?? ""}`} countId={doc.id} url={url} line={line} />
                  ),
                },
              ]
            : []),
          ...(hidden
            ? []
            : [
                {
                  title: t("count.difference"),
                  key: "difference",
                  align: "right" as const,
                  width: 90,
                  // before submitting: counted against book, as the counter goes
                  render: (_v: unknown, line: StockCountLineRow) => (
                    <span data-testid={`difference-${line.id}`}>{show(liveDifference(line))}</span>
                  ),
                },
                {
                  title: t("count.differenceValue"),
                  key: "difference_value",
                  align: "right" as const,
                  width: 110,
                  render: (_v: unknown, line: StockCountLineRow) => formatAmount(line.difference_value),
                },
              ]),
        ]}
      />
    </Card>
  );
}
