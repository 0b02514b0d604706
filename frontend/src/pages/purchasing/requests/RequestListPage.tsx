// 采购申请 list: number, date, store, warehouse, needed-by, status; buyers select approved
// requests and turn them into draft purchase orders grouped by supplier (合并生成订单): the answer
// lists the orders made and the lines left without a supplier.
import { useState } from "react";
import { Link } from "react-router";
import { Alert, App as AntApp, Button, Card, Input, List, Space } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../../auth/auth";
import { client, ok, idempotent } from "../../../api/http";
import { showError } from "../../../api/errors";
import { useList } from "../../../api/useList";
import type { ConsolidationResult, PurchaseRequestListRow } from "../../../api/contract";
import { StatusTag } from "../../../features/documents/StatusTag";
import { ListTable } from "../../../components/ListTable";

export const REQUESTS_PATH = "/purchasing/requests";
export const REQUESTS_API = "/api/v1/purchase-requests/";
const CONSOLIDABLE = new Set(["approved", "partially_ordered"]);

export function RequestListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<number[]>([]);
  const [result, setResult] = useState<ConsolidationResult | null>(null);
  const list = useList(REQUESTS_API, { search });
  const consolidate = useMutation({
    mutationFn: () =>
      ok(client.POST("/api/v1/purchase-requests/consolidate/", { body: { requests: selected }, headers: idempotent() })),
    onSuccess: async (answer) => {
      setResult(answer);
      setSelected([]);
      message.success(t("purchaseRequest.consolidated", { count: answer.orders.length }));
      await queryClient.invalidateQueries();
    },
    onError: (error) => showError(error, t, message),
  });
  const mayConsolidate = can("purchaseRequestsConsolidate");
  return (
    <Card
      title={t("menu.purchaseRequests")}
      extra={
        <Space>
          {mayConsolidate && (
            <Button
              type="primary"
              disabled={!selected.length}
              loading={consolidate.isPending}
              onClick={() => consolidate.mutate()}
              data-testid="requests-consolidate"
            >
              {t("purchaseRequest.consolidate", { count: selected.length })}
            </Button>
          )}
          {can("purchaseRequestsCreate") && (
            <Link to={`${REQUESTS_PATH}/new`}>
              <Button icon={<PlusOutlined />}>{t("common.create")}</Button>
            </Link>
          )}
        </Space>
      }
    >
      {result && (
        <Alert
          style={{ marginBottom: 12 }}
          type={result.left.length ? "warning" : "success"}
          closable
          onClose={() => setResult(null)}
          data-testid="consolidation-result"
          message={t("purchaseRequest.ordersMade", { count: result.orders.length })}
          description={
            <>
              <List
                size="small"
                dataSource={result.orders}
                renderItem={(order) => (
                  <List.Item>
                    {order.number} · {order.supplier_name} · {t("purchaseRequest.orderLines", { count: order.lines })}
                  </List.Item>
                )}
              />
              {result.left.length > 0 && (
                <div>
                  {t("purchaseRequest.leftOpen")}{" "}
                  {result.left.map((line) => `${line.request_number}#${line.line_no} ${line.sku_code}`).join("、")}
                </div>
              )}
            </>
          }
        />
      )}
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t("doc.number")}
          enterButton={t("common.search")}
          onSearch={(value) => {
            setSearch(value.trim());
            list.resetPage();
          }}
        />
      </Space>
      <ListTable<PurchaseRequestListRow>
        list={list}
        size="middle"
        pagination={list.pagination(t)}
        scroll={{ x: 640 }}
        rowSelection={
          mayConsolidate
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as number[]),
                getCheckboxProps: (row) => ({
                  disabled: !CONSOLIDABLE.has(row.status),
                  name: row.number,
                }),
              }
            : undefined
        }
        columns={[
          {
            title: t("doc.number"),
            dataIndex: "number",
            render: (number: string, row) => <Link to={`${REQUESTS_PATH}/${row.id}`}>{number}</Link>,
          },
          { title: t("doc.date"), dataIndex: "document_date", width: 120 },
          { title: t("purchaseRequest.store"), key: "store", render: (_v, row) => row.store_name },
          { title: t("doc.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name },
          { title: t("purchaseRequest.neededBy"), dataIndex: "needed_by", width: 120 },
          {
            title: t("doc.status"),
            dataIndex: "status",
            width: 110,
            render: (_v, row) => <StatusTag status={row.status} />,
          },
          { title: t("doc.notes"), dataIndex: "notes", ellipsis: true },
        ]}
      />
    </Card>
  );
}
