// 首页: the stock figures of the user's warehouses (or one of them) from GET /api/v1/dashboard/,
// summed by the server over every balance and move; each card links to the list it counts.
import type { ReactNode } from "react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Badge, Button, Card, Col, Empty, List, Row, Select, Space, Statistic, Tag, Typography } from "antd";
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
import { useAuth } from "../../auth/auth";
import { client, ok } from "../../api/http";
import { errorMessage } from "../../api/errors";
import { StatusTag } from "../../features/documents/StatusTag";
import { useWarehouseOptions } from "../../features/stock/queries";
import { EChart } from "../../components/EChart";
import { formatAmountGrouped } from "../../lib/format";
import { TREND_COLORS, listLink, recentReceipts, trendChart, warehouseChart, warehouseChartHeight } from "./dashboard";

function FigureCard({ to, title, children, testId }: { to?: string; title: string; children: ReactNode; testId: string }) {
  const card = (
    <Card size="small" hoverable={Boolean(to)} style={{ height: "100%" }} data-testid={testId}>
      <Statistic title={title} valueRender={() => children} />
    </Card>
  );
  return to ? <Link to={to}>{card}</Link> : card;
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const [warehouse, setWarehouse] = useState<number | undefined>();
  const warehouseOptions = useWarehouseOptions();
  const showStock = can("stockBalances");
  const showCost = can("costs"); // the value cards and charts (null values otherwise)
  const figures = useQuery({
    queryKey: ["dashboard", warehouse ?? "all"],
    queryFn: () => ok(client.GET("/api/v1/dashboard/", { params: { query: { warehouse } } })),
    enabled: showStock,
  });
  const recent = useQuery({
    queryKey: ["/api/v1/stock-ins/", "recent"],
    queryFn: () =>
      ok(client.GET("/api/v1/stock-ins/", { params: { query: { page_size: 6 } } })),
    enabled: can("stockDocuments"),
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
  );
  const data = figures.data;
  const warehouses = useMemo(
    () => warehouseChart(data?.warehouses ?? [], t("dashboard.stockValue")),
    [data, t],
  );
  const trend = useMemo(
    () => trendChart(data?.trend ?? [], { in: t("dashboard.inValue"), out: t("dashboard.outValue") }),
    [data, t],
  );
  const today = data?.today;
  // values are null for users who may not see costs (the API hides them): a dash, not ¥0
  const money = (value: string | null | undefined) => (value === null ? "—" : `¥${formatAmountGrouped(value ?? "0")}`);

  return (
    <div>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("dashboard.welcome", { name: me?.full_name || me?.username || "" })}
        </Typography.Title>
        {showStock && warehouseOptions.length > 1 && (
          <Select
            id="dashboard-warehouse"
            allowClear
            placeholder={t("dashboard.allWarehouses")}
            style={{ minWidth: 200 }}
            value={warehouse}
            onChange={(value: number | undefined) => setWarehouse(value)}
            options={warehouseOptions}
          />
        )}
      </Space>
      {showStock && figures.isError && (
        <Typography.Text type="danger" data-testid="dashboard-error">
          {errorMessage(figures.error, t)}
        </Typography.Text>
      )}
      <Row gutter={[12, 12]}>
        {showStock && (
          <>
            {showCost && (
            <Col xs={12} md={8} xl={4}>
              <FigureCard testId="card-stock-value" to={listLink("/inventory/balances", warehouse)} title={t("dashboard.stockValue")}>
                {money(data?.stock_value)}
              </FigureCard>
            </Col>
            )}
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="card-sku-count"
                to={listLink("/inventory/balances", warehouse, { group_by: "sku" })}
                title={t("dashboard.skuCount")}
              >
                {data?.sku_count ?? 0}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="below-safety-link"
                to={listLink("/inventory/balances", warehouse, { below_safety_stock: "true" })}
                title={t("dashboard.belowSafety")}
              >
                <span style={data?.below_safety_stock ? { color: "#cf1322" } : undefined}>
                  {data?.below_safety_stock ?? 0}
                </span>
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="card-expiring"
                to={listLink("/inventory/expiring-batches", warehouse)}
                title={t("dashboard.expiringBatches", { days: data?.near_expiry_days ?? 30 })}
              >
                <span style={data?.expiring_batches ? { color: "#d46b08" } : undefined}>
                  {data?.expiring_batches ?? 0}
                </span>
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="card-in-transit"
                to={can("inTransit") ? listLink("/inventory/in-transit", warehouse) : undefined}
                title={t("dashboard.inTransitValue")}
              >
                {money(data?.in_transit_value)}
              </FigureCard>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <FigureCard
                testId="card-today"
                to={can("stockMoves") ? "/inventory/moves" : undefined}
                title={`${t("dashboard.todayIn")} / ${t("dashboard.todayOut")}`}
              >
                <div style={{ fontSize: 16, lineHeight: 1.6 }}>
                  <div data-testid="today-in">
                    <Badge color={TREND_COLORS.in} /> {money(today?.in_value)} ·{" "}
                    {t("dashboard.moves", { count: today?.in_moves ?? 0 })}
                  </div>
                  <div data-testid="today-out">
                    <Badge color={TREND_COLORS.out} /> {money(today?.out_value)} ·{" "}
                    {t("dashboard.moves", { count: today?.out_moves ?? 0 })}
                  </div>
                </div>
              </FigureCard>
            </Col>
          </>
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
        {showStock && (
          <>
            {showCost && (
            <Col xs={24} lg={12}>
              <Card size="small" title={t("dashboard.valueByWarehouse")} style={{ height: "100%" }}>
                {data?.warehouses.length ? (
                  <EChart option={warehouses} height={warehouseChartHeight(data.warehouses.length)} />
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("common.noData")} />
                )}
              </Card>
            </Col>
            )}
            {showCost && (
            <Col xs={24} lg={12}>
              <Card
                size="small"
                title={t("dashboard.trend")}
                style={{ height: "100%" }}
                extra={
                  <Space size={4}>
                    <Badge color={TREND_COLORS.in} text={t("dashboard.inValue")} />
                    <Badge color={TREND_COLORS.out} text={t("dashboard.outValue")} />
                  </Space>
                }
              >
                <EChart option={trend} height={220} />
              </Card>
            </Col>
            )}
            <Col xs={24} lg={12}>
              <Card size="small" title={t("dashboard.todayByType")} style={{ height: "100%" }}>
                {today?.by_move_type.length ? (
                  <Space wrap data-testid="today-by-type">
                    {today.by_move_type.map((row) => (
                      <Tag key={row.move_type}>
                        {t(`moveType.${row.move_type}`)} · {t("dashboard.moves", { count: row.moves })}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t("dashboard.noMovesToday")}</Typography.Text>
                )}
              </Card>
            </Col>
          </>
        )}
        {(can("stockDocuments") || can("transfers")) && (
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
                      <Tag color={doc.kind === "transfer" ? "blue" : "default"}>
                        {t(doc.kind === "transfer" ? "dashboard.transferIn" : "menu.stockIns")}
                      </Tag>
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
