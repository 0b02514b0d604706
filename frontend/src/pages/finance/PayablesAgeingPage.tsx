// 应付账龄: per supplier, what is owed on a day by days past its due date (the document date
// plus the supplier's payment terms); as xlsx or PDF from the server. The store is in the URL
// (?store=), so the dashboard's payables card of a store opens that store's ageing.
import { useState } from "react";
import { Card, DatePicker, Select, Space, Table } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import type { PayablesAgeingRow } from "../../api/contract";
import { ExportButton } from "../../features/stock/ExportButton";
import { LoadFailed } from "../../components/LoadFailed";
import { formatAmountGrouped } from "../../lib/format";
import { useUrlFilters } from "../stock-reports/filters";
import { useStores } from "./queries";

const BUCKETS = ["not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90"] as const;

export function PayablesAgeingPage() {
  const { t } = useTranslation();
  const stores = useStores();
  const [asOf, setAsOf] = useState(dayjs());
  const filters = useUrlFilters();
  const store = filters.number("store");
  const query = { as_of: asOf.format("YYYY-MM-DD"), store };
  const ageing = useQuery({
    queryKey: ["/api/v1/payables-ageing/", query],
    queryFn: () => ok(client.GET("/api/v1/payables-ageing/", { params: { query } })),
  });
  const money = (v: string) => formatAmountGrouped(v);
  return (
    <Card
      title={t("finance.ageing")}
      extra={<ExportButton url="/api/v1/payables-ageing/" query={query} filename="payables-ageing" formats={["xlsx", "pdf"]} />}
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <span>{t("finance.asOf")}</span>
        <DatePicker allowClear={false} value={asOf} disabledDate={(d) => d.isAfter(dayjs(), "day")} onChange={(d) => d && setAsOf(d)} />
        <Select
          allowClear
          placeholder={t("finance.allStores")}
          style={{ width: 180 }}
          value={store}
          onChange={(value?: number) => filters.set({ store: value })}
          data-testid="ageing-store"
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
        />
      </Space>
      {ageing.isError && <LoadFailed error={ageing.error} />}
      <Table<PayablesAgeingRow>
        rowKey="supplier"
        size="small"
        loading={ageing.isLoading}
        dataSource={ageing.data?.results}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t("finance.supplier"), key: "supplier", render: (_v, r) => `${r.supplier_code} ${r.supplier_name}` },
          ...BUCKETS.map((bucket) => ({
            title: t(`finance.bucket_${bucket}`),
            dataIndex: bucket,
            align: "right" as const,
            render: money,
          })),
          { title: t("finance.total"), dataIndex: "total", align: "right", render: (v: string) => <b>{money(v)}</b> },
        ]}
        summary={() =>
          ageing.data ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t("finance.total")}</Table.Summary.Cell>
              {BUCKETS.map((bucket, i) => (
                <Table.Summary.Cell key={bucket} index={i + 1} align="right">
                  {money(ageing.data.totals[bucket])}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={6} align="right">
                <b data-testid="ageing-total">{money(ageing.data.totals.total)}</b>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
