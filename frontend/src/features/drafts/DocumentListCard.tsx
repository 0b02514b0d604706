// The list page of an inventory document family (stock documents, transfers): search by
// number, a "create" button by permission, number (link), date, the family's own columns,
// status, and the family's trailing columns.
import { useState } from "react";
import { Link } from "react-router";
import { Button, Card, Input, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import type { AccessKey } from "../../auth/access";
import { useList } from "../../api/useList";
import type { DocumentStatus } from "../../api/contract";
import { StatusTag } from "../documents/StatusTag";
import { ListTable } from "../../components/ListTable";
import { DateRangeFilter, type DateRange } from "../../components/DateRangeFilter";

interface DocumentListRow {
  id: number;
  number: string;
  document_date: string;
  status: DocumentStatus;
}

export function DocumentListCard<Row extends DocumentListRow>({
  title,
  api,
  path,
  createAccess,
  columns,
  trailing = [],
}: {
  title: string;
  api: string; // the list URL of the API
  path: string; // the route of the list; documents at path/id, new ones at path/new
  createAccess: AccessKey;
  columns: ColumnsType<Row>; // after the date
  trailing?: ColumnsType<Row>; // after the status
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const [dates, setDates] = useState<DateRange>({});
  const list = useList<Row>(api, { search, date_from: dates.from, date_to: dates.to });
  return (
    <Card
      title={title}
      extra={
        can(createAccess) && (
          <Link to={`${path}/new`}>
            <Button type="primary" icon={<PlusOutlined />}>
              {t("common.create")}
            </Button>
          </Link>
        )
      }
    >
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
        <DateRangeFilter
          value={dates}
          onChange={(range) => {
            setDates(range);
            list.resetPage();
          }}
        />
      </Space>
      <ListTable<Row>
        list={list}
        size="middle"
        pagination={list.pagination(t)}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t("doc.number"),
            dataIndex: "number",
            render: (number: string, row) => <Link to={`${path}/${row.id}`}>{number}</Link>,
          },
          { title: t("doc.date"), dataIndex: "document_date", width: 120 },
          ...columns,
          {
            title: t("doc.status"),
            dataIndex: "status",
            width: 110,
            render: (_v, row) => <StatusTag status={row.status} />,
          },
          ...trailing,
        ]}
      />
    </Card>
  );
}
