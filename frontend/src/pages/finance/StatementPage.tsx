// 往来对账单: one supplier over a period — the opening balance, every document in order with
// the running balance, the closing balance; as xlsx or PDF from the server.
import { useState } from "react";
import { Link } from "react-router";
import { Card, DatePicker, Empty, Select, Space, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { client, given, ok } from "../../api/http";
import type { SupplierStatementRow } from "../../api/contract";
import { ExportButton } from "../../features/stock/ExportButton";
import { LoadFailed } from "../../components/LoadFailed";
import { formatAmountGrouped } from "../../lib/format";
import { supplierOptions, useStores, useSuppliers } from "./queries";

const DOCUMENT_PATHS: Record<string, string> = {
  "purchase-receipts": "/purchasing/receipts",
  "purchase-returns": "/purchasing/returns",
  "supplier-invoices": "/finance/supplier-invoices",
  "supplier-payments": "/finance/supplier-payments",
};

export function StatementPage() {
  const { t } = useTranslation();
  const suppliers = useSuppliers();
  const stores = useStores();
  const [supplier, setSupplier] = useState<number>();
  const [store, setStore] = useState<number>();
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().startOf("month"), dayjs()]);
  const query = {
    supplier,
    store,
    date_from: range[0].format("YYYY-MM-DD"),
    date_to: range[1].format("YYYY-MM-DD"),
  };
  const statement = useQuery({
    queryKey: ["/api/v1/supplier-statement/", query],
    queryFn: () => ok(client.GET("/api/v1/supplier-statement/", { params: { query: { ...query, supplier: given(supplier) } } })),
    enabled: supplier !== undefined,
  });
  const data = statement.data;
  return (
    <Card
      title={t("finance.statement")}
      extra={
        <ExportButton
          url="/api/v1/supplier-statement/"
          query={query}
          filename="statement"
          formats={["xlsx", "pdf"]}
          disabled={supplier === undefined}
        />
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder={t("finance.chooseSupplier")}
          style={{ width: 260 }}
          data-testid="statement-supplier"
          value={supplier}
          onChange={setSupplier}
          options={supplierOptions(suppliers.data)}
        />
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          disabledDate={(d) => d.isAfter(dayjs(), "day")}
          onChange={(dates) => dates?.[0] && dates[1] && setRange([dates[0], dates[1]])}
        />
        <Select
          allowClear
          placeholder={t("finance.allStores")}
          style={{ width: 180 }}
          value={store}
          onChange={setStore}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
        />
      </Space>
      {statement.isError && <LoadFailed error={statement.error} />}
      {supplier === undefined && <Empty description={t("finance.chooseSupplier")} />}
      {data && (
        <>
          <Space size="large" style={{ marginBottom: 12 }} wrap>
            <Typography.Text>
              {t("finance.opening")}: <b data-testid="statement-opening">{formatAmountGrouped(data.opening)}</b>
            </Typography.Text>
            <Typography.Text>
              {t("finance.increase")}: <b>{formatAmountGrouped(data.increase)}</b>
            </Typography.Text>
            <Typography.Text>
              {t("finance.decrease")}: <b>{formatAmountGrouped(data.decrease)}</b>
            </Typography.Text>
            <Typography.Text>
              {t("finance.closing")}: <b data-testid="statement-closing">{formatAmountGrouped(data.closing)}</b>
            </Typography.Text>
          </Space>
          <Table<SupplierStatementRow>
            rowKey={(row) => `${row.source}:${row.document_id}`}
            size="small"
            dataSource={data.rows}
            pagination={false}
            scroll={{ x: 800 }}
            columns={[
              { title: t("doc.date"), dataIndex: "date", width: 110 },
              {
                title: t("finance.document"),
                key: "source",
                render: (_v, row) => (
                  <Space size={4}>
                    {row.source_title}
                    {row.reversal && <Tag color="red">{t("finance.reversal")}</Tag>}
                  </Space>
                ),
              },
              {
                title: t("doc.number"),
                key: "number",
                render: (_v, row) =>
                  DOCUMENT_PATHS[row.api_path] ? (
                    <Link to={`${DOCUMENT_PATHS[row.api_path]}/${row.document_id}`}>{row.number}</Link>
                  ) : (
                    row.number
                  ),
              },
              { title: t("finance.reference"), dataIndex: "reference" },
              { title: t("finance.increase"), dataIndex: "increase", align: "right", render: (v: string) => (Number(v) ? formatAmountGrouped(v) : "") },
              { title: t("finance.decrease"), dataIndex: "decrease", align: "right", render: (v: string) => (Number(v) ? formatAmountGrouped(v) : "") },
              { title: t("finance.balance"), dataIndex: "balance", align: "right", render: (v: string) => formatAmountGrouped(v) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
