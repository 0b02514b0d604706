import { Link, useSearchParams } from "react-router";
// The SKU list: search (code, name, barcode, pinyin), active filter, columns, import/export.
import { Button, Card, Input, Select, Space, Tag, Typography, type TableColumnsType } from "antd";
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ImportButton } from "../../components/ImportButton";
import { useAuth } from "../../auth/auth";
import { useList } from "../../api/useList";
import type { SkuRow } from "../../api/contract";
import { formatMoney } from "../../lib/format";
import { useColumnSettings } from "../../features/stock/ColumnSettings";
import { exportUrl, orderingParam, sortOrderOf } from "../master/tableState";
import { ListTable } from "../../components/ListTable";

type ActiveFilter = "" | "true" | "false";

function barcodesOf(row: SkuRow): string[] {
  return (row.barcodes ?? []).map((b) => b.code);
}

export function ProductListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const search = params.get("search") ?? "";
  const active = (params.get("active") ?? "") as ActiveFilter;
  const ordering = params.get("ordering") ?? "";
  const filters = { search, ...(active ? { active: active === "true" } : {}), ...(ordering ? { ordering } : {}) };
  const list = useList("/api/v1/skus/", filters);
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    list.resetPage();
  };
  const sorted = (key: string) => ({ key, sorter: true, sortOrder: sortOrderOf(ordering, key) });
  const columns: TableColumnsType<SkuRow> = [
    {
      title: t("product.code"),
      ...sorted("code"),
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
      ...sorted("name"),
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
    { title: t("product.retailPrice"), ...sorted("retail_price"), dataIndex: "retail_price", align: "right", width: 110, render: formatMoney },
    {
      title: t("product.active"),
      key: "active",
      dataIndex: "active",
      width: 80,
      render: (active: boolean | undefined) =>
        active === false ? <Tag>{t("productEdit.inactive")}</Tag> : <Tag color="green">{t("common.yes")}</Tag>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 90,
      render: (_value, row) =>
        can("stockMoves") ? <Link to={`/inventory/moves?sku=${row.id}`}>{t("stock.ledger")}</Link> : null,
    },
  ];
  const { isVisible, control: columnSettings } = useColumnSettings(
    "products",
    columns.map((c) => ({ key: String(c.key), title: String(c.title) })),
  );

  return (
    <Card
      title={t("product.title")}
      extra={
        <Space wrap>
          {columnSettings}
          <Button icon={<DownloadOutlined />} href={exportUrl("/api/v1/skus/", filters)}>
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
          onSearch={(value) => setParam("search", value.trim())}
          style={{ maxWidth: 420 }}
          id="product-search"
        />
        <Select<ActiveFilter>
          value={active}
          onChange={(value) => setParam("active", value)}
          style={{ width: 140 }}
          data-testid="product-active-filter"
          options={[
            { value: "", label: t("productEdit.allStatuses") },
            { value: "true", label: t("productEdit.activeOnly") },
            { value: "false", label: t("productEdit.inactiveOnly") },
          ]}
        />
      </Space>
      <ListTable<SkuRow>
        list={list}
        rowKey="id"
        size="middle"
                pagination={list.pagination(t)}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action === "sort") setParam("ordering", orderingParam(sorter));
        }}
        onRow={(row) => (row.active === false ? { style: { opacity: 0.55 }, "data-inactive": "true" } : {})}
        scroll={{ x: 720 }}
        columns={columns.filter((c) => isVisible(String(c.key)))}
      />
    </Card>
  );
}
