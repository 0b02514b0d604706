import { Link, useSearchParams } from "react-router";
import { Button, Card, Input, Space, Table, Tag, Typography } from "antd";
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ImportButton } from "../../components/ImportButton";
import { useAuth } from "../../auth/auth";
import { useList } from "../../api/useList";
import type { SkuRow } from "../../api/contract";
import { formatMoney } from "../../lib/format";

function barcodesOf(row: SkuRow): string[] {
  return (row.barcodes ?? []).map((b) => b.code);
}

export function ProductListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const search = params.get("search") ?? "";
  const list = useList<SkuRow>("/api/v1/skus/", { search });
  const setSearch = (text: string) => setParams(text ? { search: text } : {}, { replace: true });

  return (
    <Card
      title={t("product.title")}
      extra={
        <Space>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/v1/skus/export/?format=xlsx${search ? `&search=${encodeURIComponent(search)}` : ""}`}
          >
            {t("common.export")}
          </Button>
          {can("productsCreate") && <ImportButton api={"/api/v1/skus/"} />}
          {can("productsCreate") && (
            <Link to="/master/products/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("common.create")}
              </Button>
            </Link>
          )}
        </Space>
      }
    >
      <Space style={{ marginBottom: 12, width: "100%" }} wrap>
        <Input.Search
          key={search}
          defaultValue={search}
          allowClear
          placeholder={t("common.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => {
            setSearch(value.trim());
            list.resetPage();
          }}
          style={{ maxWidth: 420 }}
          id="product-search"
        />
      </Space>
      <Table<SkuRow>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 720 }}
        columns={[
          {
            title: t("product.code"),
            dataIndex: "code",
            width: 140,
            render: (code: string, row) => (
              <Link to={`/master/products/${row.product}`} data-testid={`product-link-${code}`}>
                {code}
              </Link>
            ),
          },
          {
            title: t("product.name"),
            dataIndex: "name",
            render: (name: string, row) => (
              <span>
                {name} {row.spec ? <Typography.Text type="secondary">{row.spec}</Typography.Text> : null}
              </span>
            ),
          },
          {
            title: t("product.barcode"),
            key: "barcodes",
            render: (_value, row) => barcodesOf(row).map((code) => <Tag key={code}>{code}</Tag>),
          },
          { title: t("product.retailPrice"), dataIndex: "retail_price", align: "right", width: 110, render: formatMoney },
          {
            title: t("product.active"),
            dataIndex: "active",
            width: 80,
            render: (active: boolean | undefined) =>
              active === false ? <Tag>{t("common.no")}</Tag> : <Tag color="green">{t("common.yes")}</Tag>,
          },
          {
            title: t("common.actions"),
            key: "actions",
            width: 90,
            render: (_value, row) =>
              can("stockMoves") ? <Link to={`/inventory/moves?sku=${row.id}`}>{t("stock.ledger")}</Link> : null,
          },
        ]}
      />
    </Card>
  );
}
