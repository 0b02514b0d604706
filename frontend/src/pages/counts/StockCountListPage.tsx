import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { App as AntApp, Button, Card, Checkbox, Form, Input, Modal, Select, Space } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/auth";
import { useList } from "../../api/useList";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import { useWarehouseOptions } from "../../features/stock/queries";
import type { StockCountCreate, StockCountRow } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";
import { ListTable } from "../../components/ListTable";
import { DateRangeFilter, type DateRange } from "../../components/DateRangeFilter";

function CreateCountModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<StockCountCreate>();
  const warehouses = useWarehouseOptions(); // stock-holding ones: no count in the in-transit warehouse
  useEffect(() => {
    const first = warehouses[0];
    if (first && form.getFieldValue("warehouse") === undefined) form.setFieldValue("warehouse", first.value);
  }, [warehouses, form]);
  const create = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return ok(client.POST("/api/v1/stock-counts/", { body: { warehouse: values.warehouse, blind: values.blind ?? false, notes: values.notes ?? "" }, headers: idempotent() }));
    },
    onSuccess: (count) => navigate(`/inventory/stock-counts/${count.id}`),
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      showError(error, t, message, form);
    },
  });
  return (
    <Modal
      open
      title={t("count.create")}
      onCancel={onClose}
      onOk={() => create.mutate()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={create.isPending}
      okButtonProps={{ "data-testid": "count-create-confirm" } as Record<string, string>}
    >
      <Form<StockCountCreate>
        form={form}
        layout="vertical"
        initialValues={{ blind: false }}
      >
        <Form.Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={warehouses} />
        </Form.Item>
        <Form.Item name="blind" valuePropName="checked">
          <Checkbox>{t("count.blind")}</Checkbox>
        </Form.Item>
        <Form.Item name="notes" label={t("doc.notes")}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function StockCountListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  const [dates, setDates] = useState<DateRange>({});
  const list = useList("/api/v1/stock-counts/", { date_from: dates.from, date_to: dates.to });
  return (
    <Card
      title={t("count.title")}
      extra={
        can("stockCountsCreate") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="count-create">
            {t("common.create")}
          </Button>
        )
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <DateRangeFilter
          value={dates}
          onChange={(range) => {
            setDates(range);
            list.resetPage();
          }}
        />
      </Space>
      <ListTable<StockCountRow>
        list={list}
        rowKey="id"
        size="middle"
                pagination={list.pagination(t)}
        scroll={{ x: 560 }}
        columns={[
          {
            title: t("doc.number"),
            dataIndex: "number",
            render: (number: string, row) => <Link to={`/inventory/stock-counts/${row.id}`}>{number}</Link>,
          },
          { title: t("doc.date"), dataIndex: "document_date", width: 120 },
          { title: t("doc.warehouse"), dataIndex: "warehouse_name" },
          {
            title: t("doc.status"),
            dataIndex: "status",
            width: 110,
            render: (_v, row) => <StatusTag status={row.status} />,
          },
        ]}
      />
      {creating && <CreateCountModal onClose={() => setCreating(false)} />}
    </Card>
  );
}
