import { useState } from "react";
import { Link } from "react-router";
import { Button, Card, Input, Space, Table } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import { useList } from "../../api/useList";
import type { StockDocumentListRow } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";
import { kindConfig, type StockKind } from "./kinds";

export function StockDocListPage({ kind }: { kind: StockKind }) {
  const config = kindConfig(kind);
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const list = useList<StockDocumentListRow>(config.api, { search });
  return (
    <Card
      title={t(`docKind.${kind}.list`)}
      extra={
        can(config.createAccess) && (
          <Link to={`${config.path}/new`}>
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
      <Table<StockDocumentListRow>
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
            render: (number: string, row) => <Link to={`${config.path}/${row.id}`}>{number}</Link>,
          },
          { title: t("doc.date"), dataIndex: "document_date", width: 120 },
          { title: t("doc.warehouse"), key: "warehouse", render: (_v, row) => row.warehouse_name },
          {
            title: t("doc.status"),
            dataIndex: "status",
            width: 100,
            render: (_v, row) => <StatusTag status={row.status} />,
          },
          { title: t("doc.notes"), dataIndex: "notes", ellipsis: true },
        ]}
      />
    </Card>
  );
}
