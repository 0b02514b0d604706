// 批次追溯 (GET /api/v1/reports/batch-trace/): for a recall, where a batch came from (supplier,
// receipts, stock-ins), where every unit went (a tree: origin → warehouses → their outflows and
// the warehouses they shipped to), what is on hand where and in transit, and every move of the
// batch; a second tab answers the reverse — which batches a document (a stock-out, a sale) took.
// Every document number opens the document.
import { useMemo, useState } from "react";
import type { Key, ReactNode } from "react";
import { Link } from "react-router";
import { Alert, Card, Descriptions, Empty, Input, Select, Space, Table, Tabs, Tree, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { DataNode } from "antd/es/tree";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, client, ok } from "../../api/http";
import { useList } from "../../api/useList";
import type { BatchTrace, StockSummaryRow, TraceDocument, TraceMove, TraceWarehouse } from "../../api/contract";
import { EChart } from "../../components/EChart";
import { SkuPicker } from "../../components/SkuPicker";
import { ExportButton } from "../../features/stock/ExportButton";
import { SubscribeButton } from "./subscriptions/SubscribeButton";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { wallTimeIn } from "../../features/stock/companyTime";
import { formatAmount, formatQty } from "../../lib/format";
import { documentPath } from "../stock-docs/kinds";
import { useUrlFilters } from "../stock-reports/filters";
import { barChart, chartHeight, toNumber } from "./charts";
import { ReportError } from "./ReportTable";

const TRACE_URL = "/api/v1/reports/batch-trace/";
const DOCUMENT_URL = "/api/v1/reports/batch-trace/document/";

type Documentish = Pick<TraceDocument, "document_type" | "document_id" | "document_number" | "move_type">;

function DocumentLink({ doc }: { doc: Documentish }) {
  const path = documentPath(doc.document_type, doc.move_type, doc.document_id);
  return path ? <Link to={path}>{doc.document_number}</Link> : <>{doc.document_number}</>;
}

function party(row: { counterparty_code?: string | null; counterparty_name?: string | null }): string {
  return [row.counterparty_code, row.counterparty_name].filter(Boolean).join(" ");
}

function signed(value: string): string {
  return toNumber(value) > 0 ? `+${formatQty(value)}` : formatQty(value);
}

/** The tree: the batch → its origins, then each warehouse (under the one it came from) with its
 * flows per move type and their documents, the warehouses it shipped to, and what it has left. */
function traceTree(data: BatchTrace, t: TFunction): DataNode[] {
  const unit = data.batch.unit_name ?? "";
  const docNode = (key: string, doc: TraceDocument): DataNode => ({
    key,
    title: (
      <span>
        <DocumentLink doc={doc} /> {party(doc) ? `· ${party(doc)} ` : ""}
        {doc.reason ? <Typography.Text type="secondary">· {doc.reason} </Typography.Text> : null}
        <strong>{signed(doc.quantity)}</strong>
      </span>
    ),
    isLeaf: true,
  });
  const children = (parent: number): TraceWarehouse[] => data.warehouses.filter((w) => w.parent === parent);
  const warehouseNode = (w: TraceWarehouse): DataNode => ({
    key: `w${w.warehouse}`,
    title: (
      <span data-testid="trace-warehouse">
        <Typography.Text strong>
          {w.warehouse_code} {w.warehouse_name}
        </Typography.Text>{" "}
        · {t("batchTrace.in")} {formatQty(w.in_quantity)} · {t("batchTrace.out")} {formatQty(w.out_quantity)} ·{" "}
        {t("batchTrace.onHand")} <strong>{formatQty(w.on_hand)}</strong> {unit}
      </span>
    ),
    children: [
      ...w.flows.map(
        (flow): DataNode => ({
          key: `w${w.warehouse}-${flow.direction}-${flow.move_type}`,
          title: (
            <span>
              {t(`moveType.${flow.move_type}`)} <strong>{signed(flow.quantity)}</strong>
              {flow.documents_count > flow.documents.length ? (
                <Typography.Text type="secondary">
                  {" "}
                  ({t("batchTrace.documentsShown", { shown: flow.documents.length, count: flow.documents_count })})
                </Typography.Text>
              ) : null}
            </span>
          ),
          children: flow.documents.map((doc, index) =>
            docNode(`w${w.warehouse}-${flow.direction}-${flow.move_type}-${index}`, doc),
          ),
        }),
      ),
      ...children(w.warehouse).map(warehouseNode),
    ],
  });
  const origins: DataNode[] = data.origins.map((origin, index) => ({
    key: `o${index}`,
    title: (
      <span>
        {t(`moveType.${origin.move_type}`)} <DocumentLink doc={origin} /> {party(origin) ? `· ${party(origin)} ` : ""}
        {origin.reason ? <Typography.Text type="secondary">· {origin.reason} </Typography.Text> : null}→ {origin.warehouse_code}{" "}
        <strong>{signed(origin.quantity)}</strong>
      </span>
    ),
    isLeaf: true,
  }));
  const transit: DataNode[] = data.in_transit.length
    ? [
        {
          key: "transit",
          title: `${t("batchTrace.inTransit")} ${formatQty(data.totals.in_transit)} ${unit}`,
          children: data.in_transit.map((doc, index) => docNode(`t${index}`, doc)),
        },
      ]
    : [];
  return [
    {
      key: "batch",
      title: (
        <Typography.Text strong>
          {data.batch.sku_code} {data.batch.sku_name} · {t("batchTrace.batch")} {data.batch.batch_no}
        </Typography.Text>
      ),
      children: [
        { key: "origins", title: t("batchTrace.origins"), children: origins },
        ...data.warehouses.filter((w) => w.parent === null).map(warehouseNode),
        ...transit,
      ],
    },
  ];
}

function allKeys(nodes: DataNode[]): Key[] {
  return nodes.flatMap((node) => [node.key, ...allKeys(node.children ?? [])]);
}

function moveColumns(t: TFunction, zone: string, showCost: boolean, withBatch: boolean): ColumnsType<TraceMove> {
  return [
    { title: t("batchTrace.postedAt"), key: "at", width: 140, render: (_v, r) => wallTimeIn(zone, r.posted_at).slice(0, 16) },
    { title: t("reports.warehouse"), key: "wh", width: 150, render: (_v, r) => (r.in_transit ? t("batchTrace.inTransit") : `${r.warehouse_code} ${r.warehouse_name}`) },
    ...(withBatch
      ? [
          { title: t("reports.sku"), key: "sku", width: 180, render: (_v: unknown, r: TraceMove) => `${r.sku_code} ${r.sku_name}` },
          {
            title: t("batchTrace.batch"),
            key: "batch",
            width: 140,
            render: (_v: unknown, r: TraceMove) =>
              r.batch ? <Link to={`/reports/batch-trace?batch=${r.batch}`} data-testid="trace-batch-link">{r.batch_no}</Link> : "—",
          },
          { title: t("batchTrace.expiry"), dataIndex: "expiry_date", width: 110 },
        ]
      : []),
    { title: t("batchTrace.moveType"), key: "type", width: 110, render: (_v, r) => t(`moveType.${r.move_type}`) },
    { title: t("batchTrace.document"), key: "doc", width: 170, render: (_v, r) => <DocumentLink doc={r} /> },
    { title: t("batchTrace.fromTo"), key: "party", width: 160, render: (_v, r) => party(r) || r.reason || "" },
    { title: t("reports.quantity"), key: "q", align: "right", width: 90, render: (_v, r) => signed(r.quantity) },
    { title: t("batchTrace.onHandAfter"), key: "after", align: "right", width: 100, render: (_v, r) => formatQty(r.balance_quantity) },
    ...(showCost
      ? [
          { title: t("batchTrace.unitCost"), key: "c", align: "right" as const, width: 90, render: (_v: unknown, r: TraceMove) => r.unit_cost ?? "—" },
          { title: t("reports.value"), key: "v", align: "right" as const, width: 100, render: (_v: unknown, r: TraceMove) => formatAmount(r.value) },
        ]
      : []),
  ];
}

function BatchChooser({ current }: { current?: BatchTrace["batch"] }) {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const sku = filters.number("sku");
  const [search, setSearch] = useState("");
  const options = useQuery({
    queryKey: ["/api/v1/reports/batch-trace/batches/", sku, search],
    queryFn: () =>
      ok(
        client.GET("/api/v1/reports/batch-trace/batches/", {
          params: { query: { sku, search: search || undefined, page_size: 100 } },
        }),
      ),
    enabled: sku !== undefined || search.length > 0,
  });
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <SkuPicker value={sku} onChange={(value) => filters.set({ sku: value, batch: undefined })} />
      <Select
        showSearch
        allowClear
        filterOption={false}
        onSearch={setSearch}
        placeholder={t("batchTrace.chooseBatch")}
        style={{ minWidth: 260 }}
        value={filters.number("batch")}
        onChange={(value: number | undefined) => filters.set({ batch: value })}
        options={[
          // the batch traced now, when the list (of another SKU, or none yet) does not hold it
          ...(current && !(options.data?.results ?? []).some((b) => b.id === current.id)
            ? [{ ...current, sku: current.sku ?? 0, sku_code: current.sku_code ?? "", sku_name: current.sku_name ?? "" }]
            : []),
          ...(options.data?.results ?? []),
        ].map((b) => ({
          value: b.id,
          label: `${b.batch_no}${sku ? "" : ` · ${b.sku_code}`}${b.expiry_date ? ` · ${t("batchTrace.expires", { date: b.expiry_date })}` : ""}`,
        }))}
        notFoundContent={sku || search ? t("batchTrace.noBatches") : t("batchTrace.chooseSkuFirst")}
        data-testid="batch-select"
      />
    </Space>
  );
}

function TraceTab() {
  const { t } = useTranslation();
  const zone = useCompanyTimeZone();
  const filters = useUrlFilters();
  const batch = filters.number("batch");
  const query = { batch };
  const list = useList(TRACE_URL, query, batch !== undefined);
  const data = list.query.data as BatchTrace | undefined;
  const showCost = data?.show_cost ?? false;
  const tree = useMemo(() => (data ? traceTree(data, t) : []), [data, t]);
  const chart = useMemo(() => {
    if (!data) return null;
    const items = [
      ...data.totals.outflows.map((o) => ({ label: t(`reports.kinds.${o.kind as keyof StockSummaryRow["flows"]}`), values: [toNumber(o.quantity)] })),
      { label: t("batchTrace.onHand"), values: [toNumber(data.totals.on_hand)] },
      ...(toNumber(data.totals.in_transit) ? [{ label: t("batchTrace.inTransit"), values: [toNumber(data.totals.in_transit)] }] : []),
    ];
    return { count: items.length, option: barChart(items, [t("reports.quantity")]) };
  }, [data, t]);
  const suppliers = [...new Set((data?.origins ?? []).filter((o) => o.counterparty_kind === "supplier").map(party))];

  return (
    <>
      <BatchChooser current={data?.batch} />
      {batch === undefined ? <Empty description={t("batchTrace.hint")} /> : null}
      <ReportError error={list.query.isError ? list.query.error : null} onRetry={list.query.refetch} />
      {data ? (
        <>
          <Space style={{ marginBottom: 12 }}>
            <ExportButton url={TRACE_URL} query={query} filename="batch-trace" formats={["xlsx", "csv", "pdf"]} />
            <SubscribeButton report="batch-trace" query={query} />
          </Space>
          {!showCost ? <Alert type="info" showIcon message={t("reports.noCostHint")} style={{ marginBottom: 12 }} /> : null}
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginBottom: 12 }} data-testid="trace-summary">
            <Descriptions.Item label={t("reports.sku")}>
              {data.batch.sku_code} {data.batch.sku_name}
            </Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.batch")}>{data.batch.batch_no}</Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.production")}>{data.batch.production_date ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.expiry")}>{data.batch.expiry_date ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("reports.supplier")}>{suppliers.join("、") || "—"}</Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.received")}>
              <span data-testid="trace-received">{formatQty(data.totals.received)}</span> {data.batch.unit_name}
              {showCost ? ` (${formatAmount(data.totals.received_value)})` : ""}
            </Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.onHand")}>
              <span data-testid="trace-on-hand">{formatQty(data.totals.on_hand)}</span> {data.batch.unit_name}
            </Descriptions.Item>
            <Descriptions.Item label={t("batchTrace.inTransit")}>{formatQty(data.totals.in_transit)}</Descriptions.Item>
          </Descriptions>
          {chart && chart.count > 0 ? (
            <div style={{ marginBottom: 12 }}>
              <Typography.Text type="secondary">{t("batchTrace.whereItWent")}</Typography.Text>
              <EChart option={chart.option} height={chartHeight(chart.count)} />
            </div>
          ) : null}
          <Typography.Title level={5}>{t("batchTrace.treeTitle")}</Typography.Title>
          <Tree
            key={data.batch.id}
            treeData={tree}
            defaultExpandedKeys={allKeys(tree).filter((key) => !String(key).includes("-"))}
            selectable={false}
            showLine
            data-testid="trace-tree"
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("batchTrace.movesTitle")}
          </Typography.Title>
        </>
      ) : null}
      {batch !== undefined ? (
        <Table<TraceMove>
          rowKey="id"
          size="small"
          bordered
          loading={list.query.isFetching}
          dataSource={list.rows}
          pagination={list.pagination(t)}
          scroll={{ x: "max-content" }}
          columns={moveColumns(t, zone, showCost, false)}
          data-testid="trace-moves"
        />
      ) : null}
    </>
  );
}

function DocumentTab() {
  const { t } = useTranslation();
  const zone = useCompanyTimeZone();
  const filters = useUrlFilters();
  const number = filters.text("number");
  const [typed, setTyped] = useState(number ?? "");
  const query = { number };
  const list = useList(DOCUMENT_URL, query, number !== undefined);
  const data = list.query.data as { show_cost: boolean } | undefined;
  const showCost = data?.show_cost ?? false;
  let notice: ReactNode = null;
  if (number === undefined) notice = <Empty description={t("batchTrace.documentHint")} />;
  else if (list.query.error instanceof ApiError && list.query.error.status === 404)
    notice = <Alert type="warning" showIcon message={t("batchTrace.documentNotFound", { number })} />;
  else if (list.query.isError) notice = <ReportError error={list.query.error} onRetry={list.query.refetch} />;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          onSearch={(value) => filters.set({ number: value.trim() || undefined })}
          placeholder={t("batchTrace.documentNumber")}
          style={{ width: 280 }}
          enterButton
          data-testid="document-number"
        />
        {number && data ? <ExportButton url={DOCUMENT_URL} query={query} filename="document-batches" formats={["xlsx", "csv", "pdf"]} /> : null}
      </Space>
      {notice}
      {number !== undefined && !list.query.isError ? (
        <Table<TraceMove>
          rowKey="id"
          size="small"
          bordered
          loading={list.query.isFetching}
          dataSource={list.rows}
          pagination={list.pagination(t)}
          scroll={{ x: "max-content" }}
          columns={moveColumns(t, zone, showCost, true)}
          data-testid="document-batches"
        />
      ) : null}
    </>
  );
}

export function BatchTracePage() {
  const { t } = useTranslation();
  const filters = useUrlFilters();
  const tab = filters.text("tab") === "document" ? "document" : "batch";
  return (
    <Card title={t("batchTrace.title")}>
      <Tabs
        activeKey={tab}
        onChange={(key) => filters.set({ tab: key === "document" ? "document" : undefined })}
        items={[
          { key: "batch", label: t("batchTrace.batchTab"), children: <TraceTab /> },
          { key: "document", label: t("batchTrace.documentTab"), children: <DocumentTab /> },
        ]}
      />
    </Card>
  );
}
