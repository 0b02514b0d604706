// 首页 / Dashboard (经营看板): the key figures of the user's stores from GET
// /api/v1/reports/dashboard/ — every store together with charts comparing them (head office), or
// one store chosen in the selector (a user of one store lands on it) — each figure linking to
// the report behind it; then the quick actions and recent receipts of the daily work.
import type { ReactNode } from "react";
import { useMemo } from "react";
import { Link } from "react-router";
import { Alert, Badge, Button, Card, Col, Empty, Grid, List, Row, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import {
  AuditOutlined,
  ExportOutlined,
  ImportOutlined,
  InboxOutlined,
  PlusOutlined,
  SearchOutlined,
  SwapOutlined,
} from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAuth, useCurrencySign } from "../../auth/auth";
import { client, ok } from "../../api/http";
import { ReportError } from "../reports/ReportTable";
import type { BoardStore } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";
import { EChart } from "../../components/EChart";
import { formatAmountGrouped } from "../../lib/format";
import { useUrlFilters } from "../stock-reports/filters";
import type { MessageKey } from "../../i18n/keys";
import type { RecentReceipt } from "./dashboard";
import {
  barsHeight,
  boardAmount,
  boardLinks,
  categoryChart,
  chartedStores,
  kindChart,
  linkTo,
  recentReceipts,
  storeFlowChart,
  storeValueChart,
  trendChart,
} from "./dashboard";

function FigureCard({ to, title, children, testId }: { to?: string; title: string; children: ReactNode; testId: string }) {
  const card = (
    <Card size="small" hoverable={Boolean(to)} style={{ height: "100%" }} data-testid={testId}>
      <Statistic title={title} valueRender={() => children} />
    </Card>
  );
  return to ? <Link to={to}>{card}</Link> : card;
}

const RECEIPT_TAG: Record<RecentReceipt["kind"], { color: string; label: MessageKey }> = {
  purchase_receipt: { color: "green", label: "menu.purchaseReceipts" },
  stock_in: { color: "default", label: "menu.stockIns" },
  transfer: { color: "blue", label: "dashboard.transferIn" },
};

const money = (value: string | null | undefined, sign: string) =>
  value === null || value === undefined ? "—" : `${sign}${formatAmountGrouped(value)}`;
/** A card's money figure: short when large (¥1,270.15万 / ¥12.7M), the full figure in its title. */
function CardMoney({ value }: { value: string | null | undefined }) {
  const { i18n } = useTranslation();
  const sign = useCurrencySign();
  const { text, exact } = boardAmount(value, i18n.language);
  return (
    <span title={value === null || value === undefined ? undefined : `${sign}${exact}`} data-testid="card-money">
      {value === null || value === undefined ? text : `${sign}${text}`}
    </span>
  );
}
const warn = (count: number | null | undefined, color: string) => (
  <span style={count ? { color } : undefined}>{count ?? 0}</span>
);

function ChartCard({ title, testId, empty, children }: { title: string; testId: string; empty: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={title} style={{ height: "100%" }} data-testid={testId}>
      {empty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("common.noData")} /> : children}
    </Card>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false; // a phone: the charts' labels must not collide
  const { me, can } = useAuth();
  const sign = useCurrencySign();
  const filters = useUrlFilters();
  const showStock = can("stockBalances");
  const stores = useQuery({
    queryKey: ["/api/v1/stores/", "all"],
    queryFn: () => ok(client.GET("/api/v1/stores/", { params: { query: { page_size: 500 } } })),
    staleTime: 60_000,
    enabled: showStock,
  });
  const storeOptions = (stores.data?.results ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
  // a user of one store lands on it; head office (several stores) on all of them
  const store = filters.number("store") ?? (storeOptions.length === 1 ? storeOptions[0].value : undefined);
  const board = useQuery({
    queryKey: ["/api/v1/reports/dashboard/", store ?? "all"],
    queryFn: () => ok(client.GET("/api/v1/reports/dashboard/", { params: { query: { store } } })),
    enabled: showStock && (stores.isFetched || filters.number("store") !== undefined),
  });
  const recent = useQuery({
    queryKey: ["/api/v1/stock-ins/", "recent"],
    queryFn: () =>
      ok(client.GET("/api/v1/stock-ins/", { params: { query: { page_size: 6 } } })),
    enabled: can("stockDocuments"),
  });
  const purchased = useQuery({
    queryKey: ["/api/v1/purchase-receipts/", "recent"],
    queryFn: () =>
      ok(client.GET("/api/v1/purchase-receipts/", { params: { query: { page_size: 6 } } })),
    enabled: can("purchaseReceipts"),
  });
  // transfers into the user's warehouses: a store fed by transfers receives most of its goods so
  const incoming = useQuery({
    queryKey: ["/api/v1/transfers/", "incoming"],
    queryFn: () =>
      ok(client.GET("/api/v1/transfers/", { params: { query: { incoming: true, page_size: 6 } } })),
    enabled: can("transfers"),
  });
  const toReceive = useQuery({
    queryKey: ["/api/v1/transfers/", "incoming", "in-transit"],
    queryFn: () =>
      ok(client.GET("/api/v1/transfers/", { params: { query: { incoming: true, in_transit: true, page_size: 1 } } })),
    enabled: can("transfers"),
  });
  const receipts = recentReceipts(
    recent.data?.results ?? [],
    (incoming.data?.results ?? []).filter((doc) => doc.shipped_at !== null),
    6,
    purchased.data?.results ?? [],
  );
  const data = board.data;
  const totals = data?.totals;
  const showCost = data?.show_cost ?? false;
  const headOffice = store === undefined && storeOptions.length > 1;
  const links = data ? boardLinks(data, store) : undefined;
  const charts = useMemo(() => {
    if (!data) return undefined;
    const inOut = { in: t("dashboard.inValue"), out: t("dashboard.outValue") };
    const layout = { narrow, language: i18n.language };
    return {
      stores: chartedStores(data.stores).length,
      value: storeValueChart(data.stores, t("board.stockValue"), t("board.central"), layout),
      flows: storeFlowChart(data.stores, inOut, t("board.central"), layout),
      categories: categoryChart(data.categories, t("board.value"), t("board.uncategorised"), layout),
      trend: trendChart(data.trend, { value: t("board.stockValue"), ...inOut }, layout),
      kinds: kindChart(data.kinds, (key) => t(`reports.kinds.${key}` as MessageKey), t("board.value"), layout),
    };
  }, [data, t, narrow, i18n.language]);
  const title = headOffice
    ? t("board.headOffice")
    : `${t("board.storeBoard")}${data?.stores[0] ? ` · ${data.stores[0].store_name}` : ""}`;

  const storeColumns: ColumnsType<BoardStore> = [
    {
      title: t("board.store"),
      key: "store",
      render: (_v, row) =>
        row.store === null ? (
          t("board.central")
        ) : (
          <Link to={linkTo("/", { store: row.store })}>{`${row.store_code} ${row.store_name}`}</Link>
        ),
    },
    ...(showCost
      ? [
          { title: t("board.stockValue"), key: "stock_value", align: "right" as const, render: (_v: unknown, row: BoardStore) => money(row.stock_value, sign) },
          {
            title: t("board.inOut"),
            key: "flows",
            align: "right" as const,
            render: (_v: unknown, row: BoardStore) => `${money(row.in_value, sign)} / ${money(row.out_value, sign)}`,
          },
          { title: t("board.turnover"), key: "turnover", align: "right" as const, render: (_v: unknown, row: BoardStore) => row.turnover ?? "—" },
        ]
      : []),
    { title: t("dashboard.belowSafety"), key: "below", align: "right", render: (_v, row) => warn(row.below_safety_stock, "#cf1322") },
    {
      title: t("dashboard.expiringBatches", { days: data?.near_expiry_days ?? 30 }),
      key: "expiring",
      align: "right",
      render: (_v, row) => warn(row.expiring_batches, "#d46b08"),
    },
    ...(data?.sections.orders
      ? [{ title: t("board.openOrders"), key: "orders", align: "right" as const, render: (_v: unknown, row: BoardStore) => row.open_orders ?? "—" }]
      : []),
    ...(data?.sections.payables && showCost
      ? [{ title: t("board.payables"), key: "payables", align: "right" as const, render: (_v: unknown, row: BoardStore) => money(row.payables, sign) }]
      : []),
  ];

  return (
    <div>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }} wrap>
        <Space direction="vertical" size={0}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t("dashboard.welcome", { name: me?.full_name || me?.username || "" })}
          </Typography.Title>
          {showStock && data && (
            <Typography.Text type="secondary" data-testid="board-title">
              {title} · {t("board.period", { from: data.date_from, to: data.date_to })}
            </Typography.Text>
          )}
        </Space>
        {showStock && storeOptions.length > 1 && (
          <Select
            id="dashboard-store"
            data-testid="board-store"
            allowClear
            placeholder={t("board.allStores")}
            style={{ minWidth: 200 }}
            value={store}
            onChange={(value: number | undefined) => filters.set({ store: value })}
            options={storeOptions}
          />
        )}
      </Space>
      {showStock && board.isError && (
        <div data-testid="dashboard-error">
          <ReportError error={board.error} onRetry={board.refetch} />
        </div>
      )}
      {showStock && data && !showCost && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("board.noCostHint")} data-testid="board-no-cost" />
      )}
      <Row gutter={[12, 12]}>
        {showStock && totals && links && (
          <>
            {showCost && (
              <>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-stock-value" to={can("reportStockStatus") ? links.stockValue : undefined} title={t("board.stockValue")}>
                    <CardMoney value={totals.stock_value} />
                  </FigureCard>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-in" to={can("reportStockSummary") ? links.flows : undefined} title={t("board.inValue")}>
                    <CardMoney value={totals.in_value} />
                  </FigureCard>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-out" to={can("reportStockSummary") ? links.flows : undefined} title={t("board.outValue")}>
                    <CardMoney value={totals.out_value} />
                  </FigureCard>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-turnover" to={can("reportTurnover") ? links.turnover : undefined} title={t("board.turnover")}>
                    <div style={{ lineHeight: 1.3 }}>
                      <div>{totals.turnover ?? "—"}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {totals.days_of_inventory !== null
                          ? t("board.daysOfInventory", { days: totals.days_of_inventory })
                          : t("board.noTurnover")}
                      </Typography.Text>
                    </div>
                  </FigureCard>
                </Col>
              </>
            )}
            <Col xs={12} md={8} xl={4}>
              <FigureCard testId="card-sku-count" to={can("reportStockStatus") ? links.stockValue : undefined} title={t("dashboard.skuCount")}>
                {totals.sku_count}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="below-safety-link"
                to={can("reportStockStatus") ? links.belowSafety : undefined}
                title={t("dashboard.belowSafety")}
              >
                {warn(totals.below_safety_stock, "#cf1322")}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="card-expiring"
                to={can("reportStockStatus") ? links.expiring : undefined}
                title={t("dashboard.expiringBatches", { days: data.near_expiry_days })}
              >
                {warn(totals.expiring_batches, "#d46b08")}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard testId="card-negative" to={can("stockBalances") ? "/inventory/balances" : undefined} title={t("board.negativeZero")}>
                {warn(totals.negative_stock, "#cf1322")} / {totals.zero_stock}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard testId="card-transit" to={can("inTransit") ? "/inventory/in-transit" : undefined} title={t("board.transfersInTransit")}>
                {totals.transfers_in_transit}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard testId="card-counts" to={can("stockCounts") ? "/inventory/stock-counts" : undefined} title={t("board.openCounts")}>
                {totals.open_counts}
              </FigureCard>
            </Col>
            {data.sections.orders && (
              <>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-open-orders" to={can("reportOpenPurchaseOrders") ? links.openOrders : undefined} title={t("board.openOrders")}>
                    <div style={{ lineHeight: 1.3 }}>
                      <div>{totals.open_orders}</div>
                      {showCost && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("board.onOrder", { sign, amount: boardAmount(totals.on_order_value ?? "0", i18n.language).text })}
                        </Typography.Text>
                      )}
                    </div>
                  </FigureCard>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard testId="card-overdue-orders" to={can("reportOpenPurchaseOrders") ? links.overdueOrders : undefined} title={t("board.overdueOrders")}>
                    {warn(totals.overdue_orders, "#cf1322")}
                  </FigureCard>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <FigureCard
                    testId="card-pending-approvals"
                    to={can("approvals") ? "/approvals" : can("purchaseOrders") ? "/purchasing/orders" : undefined}
                    title={t("board.pendingApprovals")}
                  >
                    {warn(totals.pending_approvals, "#d46b08")}
                  </FigureCard>
                </Col>
              </>
            )}
            {data.sections.receipts && (
              <Col xs={12} md={8} xl={4}>
                <FigureCard testId="card-receipts" to={can("reportPurchases") ? links.receipts : undefined} title={t("board.receiptsMonth")}>
                  <div style={{ lineHeight: 1.3 }}>
                    <div>{totals.receipts_month}</div>
                    {showCost && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("board.receiptsValue", { sign, amount: boardAmount(totals.receipts_month_value ?? "0", i18n.language).text })}
                      </Typography.Text>
                    )}
                  </div>
                </FigureCard>
              </Col>
            )}
            {data.sections.payables && showCost && (
              <Col xs={12} md={8} xl={4}>
                <FigureCard testId="card-payables" to={can("payablesAgeing") ? links.payables : undefined} title={t("board.payables")}>
                  <div style={{ lineHeight: 1.3 }}>
                    <div>
                      <CardMoney value={totals.payables} />
                    </div>
                    <Typography.Text type={Number(totals.payables_overdue ?? 0) > 0 ? "danger" : "secondary"} style={{ fontSize: 12 }}>
                      {t("board.payablesOverdue", { sign, amount: boardAmount(totals.payables_overdue ?? "0", i18n.language).text })}
                    </Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("board.payablesDueSoon", { sign, amount: boardAmount(totals.payables_due_soon ?? "0", i18n.language).text })}
                    </Typography.Text>
                  </div>
                </FigureCard>
              </Col>
            )}
          </>
        )}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {showStock && data && charts && showCost && (
          <>
            <Col xs={24} lg={headOffice ? 12 : 24}>
              <ChartCard title={t("board.trend")} testId="chart-trend" empty={data.trend.length === 0}>
                <EChart option={charts.trend} height={260} />
              </ChartCard>
            </Col>
            {headOffice && (
              <>
                <Col xs={24} lg={12}>
                  <ChartCard title={t("board.valueByStore")} testId="chart-stores" empty={charts.stores === 0}>
                    <EChart option={charts.value} height={barsHeight(charts.stores)} />
                  </ChartCard>
                </Col>
                <Col xs={24} lg={12}>
                  <ChartCard title={t("board.flowsByStore")} testId="chart-store-flows" empty={charts.stores === 0}>
                    <EChart option={charts.flows} height={barsHeight(charts.stores, 2)} />
                  </ChartCard>
                </Col>
              </>
            )}
            <Col xs={24} lg={12}>
              <ChartCard title={t("board.topCategories")} testId="chart-categories" empty={data.categories.length === 0}>
                <EChart option={charts.categories} height={barsHeight(data.categories.length)} />
              </ChartCard>
            </Col>
            {!headOffice && (
              <Col xs={24} lg={12}>
                <ChartCard title={t("board.byKind")} testId="chart-kinds" empty={data.kinds.every((k) => Number(k.value ?? 0) === 0)}>
                  <EChart option={charts.kinds} height={barsHeight(data.kinds.filter((k) => Number(k.value ?? 0) !== 0).length)} />
                </ChartCard>
              </Col>
            )}
          </>
        )}
        {showStock && data && headOffice && (
          <Col xs={24}>
            <Card size="small" title={t("board.stores")}>
              <Table<BoardStore>
                size="small"
                rowKey={(row) => row.store ?? 0}
                data-testid="board-stores"
                columns={storeColumns}
                dataSource={data.stores}
                pagination={false}
                scroll={{ x: "max-content" }}
              />
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card size="small" title={t("dashboard.quickActions")} styles={{ header: { minHeight: 32 } }}>
            <Space wrap data-testid="quick-actions">
              {can("transfers") && (
                <Link to={can("inTransit") ? "/inventory/in-transit" : "/inventory/transfers"}>
                  <Badge count={toReceive.data?.count ?? 0} size="small" offset={[-4, 0]}>
                    <Button size="small" type="primary" icon={<InboxOutlined />} data-testid="quick-receive">
                      {t("dashboard.receive")}
                    </Button>
                  </Badge>
                </Link>
              )}
              {can("stockDocumentsCreate") && (
                <Link to="/inventory/stock-ins/new">
                  <Button size="small" icon={<ImportOutlined />}>
                    {t("menu.stockIns")}
                  </Button>
                </Link>
              )}
              {can("stockDocumentsCreate") && (
                <Link to="/inventory/stock-outs/new">
                  <Button size="small" icon={<ExportOutlined />}>
                    {t("menu.stockOuts")}
                  </Button>
                </Link>
              )}
              {can("transfersCreate") && (
                <Link to="/inventory/transfers/new">
                  <Button size="small" icon={<SwapOutlined />} data-testid="quick-transfer">
                    {t("transfer.create")}
                  </Button>
                </Link>
              )}
              {can("stockCounts") && (
                <Link to="/inventory/stock-counts">
                  <Button size="small" icon={<AuditOutlined />} data-testid="quick-count">
                    {t("menu.stockCounts")}
                  </Button>
                </Link>
              )}
              {showStock && (
                <Link to="/inventory/balances">
                  <Button size="small" icon={<SearchOutlined />}>
                    {t("menu.stockBalances")}
                  </Button>
                </Link>
              )}
              {can("productsCreate") && (
                <Link to="/master/products/new">
                  <Button size="small" icon={<PlusOutlined />}>
                    {t("menu.products")}
                  </Button>
                </Link>
              )}
            </Space>
          </Card>
        </Col>
        {(can("stockDocuments") || can("transfers") || can("purchaseReceipts")) && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t("dashboard.recentDocuments")} style={{ height: "100%" }}>
              <List
                size="small"
                data-testid="recent-receipts"
                dataSource={receipts}
                locale={{ emptyText: t("common.noData") }}
                renderItem={(doc) => (
                  <List.Item extra={<StatusTag status={doc.status} />}>
                    <Space size={4} wrap>
                      <Tag color={RECEIPT_TAG[doc.kind].color}>{t(RECEIPT_TAG[doc.kind].label)}</Tag>
                      <Link to={doc.to}>{doc.number}</Link>
                      <Typography.Text type="secondary">
                        {doc.warehouse} · {doc.when.slice(0, 10)}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
