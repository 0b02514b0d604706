import { useState } from "react";
import { Link } from "react-router";
import { Button, Card, Input, Space, Table } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import { useList } from "../../api/useList";
import type { TransferListRow } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";

export function TransferListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const list = useList<TransferListRow>("/api/v1/transfers/", { search });
  return (
    <Card
      title={t("transfer.title")}
      extra={
        can("transfersCreate") && (
          <Link to="/inventory/transfers/new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t("common.create")}
            </Button>
          </Link>
        )
      }
    >
      <Space style={{ marginBottom: 12 }}>
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
      <Table<TransferListRow>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.rows}
        pagination={list.pagination(t)}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t("doc.number"),
            dataIndex: "number",
            render: (number: string, row) => <Link to={`/inventory/transfers/${row.id}`}>{number}</Link>,
          },
          { title: t("doc.date"), dataIndex: "document_date", width: 120 },
          {
            title: t("transfer.route"),
            key: "route",
            render: (_v, row) => `${row.from_warehouse_name} → ${row.to_warehouse_name}`,
          },
          {
            title: t("doc.status"),
            dataIndex: "status",
            width: 110,
            render: (_v, row) => <StatusTag status={row.status} />,
          },
        ]}
      />
    </Card>
  );
}
