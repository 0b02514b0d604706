// The list page of a document family (stock documents, transfers, purchase orders and
// receipts): search by number, a date range, the family's own filters, a "create" button by
// permission, number (link), date, the family's own columns, status, and its trailing columns.
import { useEffect, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { Button, Card, Input, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import type { AccessKey } from "../../auth/access";
import { useListOf, type ListPathFor } from "../../api/useList";
import type { Query } from "../../api/http";
import { StatusTag, type AnyDocumentStatus } from "../documents/StatusTag";
import { ListTable } from "../../components/ListTable";
import { DateRangeFilter, type DateRange } from "../../components/DateRangeFilter";

interface DocumentListRow {
  id: number;
  number: string;
  document_date: string;
  status: AnyDocumentStatus;
}

export function DocumentListCard<Row extends DocumentListRow>({
  title,
  api,
  path,
  createAccess,
  columns,
  trailing = [],
  filters,
  query = {},
}: {
  title: string;
  api: ListPathFor<Row>; // the list URL of the API
  path: string; // the route of the list; documents at path/id, new ones at path/new
  createAccess?: AccessKey; // none: documents are made elsewhere (e.g. receipts from an order)
  columns: ColumnsType<Row>; // after the date
  trailing?: ColumnsType<Row>; // after the status
  /** the family's own filter controls (next to the search) and the query they make; a change
   *  of `query` starts again at the first page */
  filters?: ReactNode;
  query?: Query;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState("");
  const [dates, setDates] = useState<DateRange>({});
  const list = useListOf<Row>(api, { ...query, search, date_from: dates.from, date_to: dates.to });
  const filterKey = JSON.stringify(query);
  const { resetPage } = list;
  useEffect(() => resetPage(), [filterKey]); // a new filter: back to the first page
  return (
    <Card
      title={title}
      extra={
        createAccess &&
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
        {filters}
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
