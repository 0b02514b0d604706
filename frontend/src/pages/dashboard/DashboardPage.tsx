import { useMemo } from "react";
import { Link } from "react-router";
import { Button, Card, Col, Empty, List, Row, Space, Statistic, Typography } from "antd";
import dayjs from "dayjs";
import { ImportOutlined, PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import { request, type Page } from "../../api/http";
import type { StockBalanceRow, StockDocumentListRow, StockMoveRow } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";
import { addDecimal, compareDecimal } from "../../lib/decimal";
import { EChart, type ChartOption } from "../../components/EChart";
import { formatAmount, formatQty } from "../../lib/format";

export function DashboardPage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const balances = useQuery({
    queryKey: ["stock-balances", "dashboard"],
    queryFn: () =>
      request<Page<StockBalanceRow>>("GET", "/api/v1/stock-balances/", { query: { page_size: 500 } }),
    enabled: can("stockBalances"),
  });

  const today = dayjs().startOf("day").format(); // ISO 8601 with the offset
  const belowSafety = useQuery({
    queryKey: ["stock-balances", "below-safety"],
    queryFn: () =>
      request<Page<StockBalanceRow>>("GET", "/api/v1/stock-balances/", {
        query: { below_safety_stock: true, group_by: "sku", page_size: 1 },
      }),
    enabled: can("stockBalances"),
  });
  const todayMoves = useQuery({
    queryKey: ["stock-moves", "today", today],
    queryFn: () =>
      request<Page<StockMoveRow>>("GET", "/api/v1/stock-moves/", {
        query: { date_from: today, page_size: 500 },
      }),
    enabled: can("stockMoves"),
  });
  const recent = useQuery({
    queryKey: ["/api/v1/stock-ins/", "recent"],
    queryFn: () =>
      request<Page<StockDocumentListRow>>("GET", "/api/v1/stock-ins/", { query: { page_size: 5 } }),
    enabled: can("stockDocuments"),
  });
  const todayTotals = useMemo(() => {
    let stockIn = "0";
    let stockOut = "0";
    for (const move of todayMoves.data?.results ?? []) {
      if (compareDecimal(move.quantity, "0") > 0) stockIn = addDecimal(stockIn, move.quantity);
      else stockOut = addDecimal(stockOut, move.quantity.replace(/^-/, ""));
    }
    return { stockIn, stockOut };
  }, [todayMoves.data]);

  const summary = useMemo(() => {
    const rows = balances.data?.results ?? [];
    const byWarehouse = new Map<string, string>();
    let value = "0";
    const skus = new Set<number>();
    for (const row of rows) {
      value = addDecimal(value, row.value);
      if (compareDecimal(row.on_hand, "0") > 0) skus.add(row.sku);
      const name = row.warehouse_name ?? String(row.warehouse);
      byWarehouse.set(name, addDecimal(byWarehouse.get(name) ?? "0", row.value));
    }
    return { value, skuCount: skus.size, byWarehouse };
  }, [balances.data]);

  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: [...summary.byWarehouse.keys()] },
      yAxis: { type: "value" },
      series: [
        {
          type: "bar",
          barMaxWidth: 48,
          name: t("dashboard.stockValue"),
          data: [...summary.byWarehouse.values()].map(Number),
          itemStyle: { color: "#1677ff" },
        },
      ],
    }),
    [summary, t],
  );

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t("dashboard.welcome", { name: me?.full_name || me?.username || "" })}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("dashboard.stockValue")} value={formatAmount(summary.value)} prefix="¥" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("dashboard.skuCount")} value={summary.skuCount} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Link to="/inventory/balances?below_safety_stock=true&group_by=sku" data-testid="below-safety-link">
            <Card size="small" hoverable>
              <Statistic
                title={t("dashboard.belowSafety")}
                value={belowSafety.data?.count ?? 0}
                valueStyle={belowSafety.data?.count ? { color: "#cf1322" } : undefined}
              />
            </Card>
          </Link>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("dashboard.todayInOut")}
              value={`${formatQty(todayTotals.stockIn)} / ${formatQty(todayTotals.stockOut)}`}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t("dashboard.quickActions")} styles={{ header: { minHeight: 32 } }}>
            <Space wrap>
              {can("stockDocumentsCreate") && (
                <Link to="/inventory/stock-ins/new">
                  <Button size="small" icon={<ImportOutlined />}>
                    {t("menu.stockIns")}
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
              {can("stockBalances") && (
                <Link to="/inventory/balances">
                  <Button size="small" icon={<SearchOutlined />}>
                    {t("menu.stockBalances")}
                  </Button>
                </Link>
              )}
            </Space>
          </Card>
        </Col>
      </Row>
      {can("stockDocuments") && (
        <Card className="sl-page-card" size="small" title={t("dashboard.recentDocuments")}>
          <List
            size="small"
            dataSource={recent.data?.results ?? []}
            locale={{ emptyText: t("common.noData") }}
            renderItem={(doc) => (
              <List.Item extra={<StatusTag status={doc.status} />}>
                <Link to={`/inventory/stock-ins/${doc.id}`}>{doc.number}</Link>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {doc.warehouse_name} · {doc.document_date}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}
      {can("stockBalances") && (
        <Card className="sl-page-card" size="small" title={t("dashboard.valueByWarehouse")}>
          {summary.byWarehouse.size ? (
            <EChart option={option} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("common.noData")} />
          )}
        </Card>
      )}
    </div>
  );
}
