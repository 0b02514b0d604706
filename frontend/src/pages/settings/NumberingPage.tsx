// 系统设置 → 单据编号: how document numbers are made ({prefix}-{store}-{yyyymmdd}-{nnnn}), per
// document kind and store, with today's last and next number; head office may move a series'
// next number up (e.g. to continue from a former system), never down.
import { useState } from "react";
import { App as AntApp, Alert, Button, Card, DatePicker, Form, InputNumber, Modal, Select, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, idempotent } from "../../api/http";
import { showError } from "../../api/errors";
import type { NumberSeriesRow } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { ListTable } from "../../components/ListTable";

const API = "/api/v1/document-numbering/";

function NextModal({ row, onClose }: { row: NumberSeriesRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ next_number: number }>();
  const save = useMutation({
    mutationFn: async () => {
      const { next_number } = await form.validateFields();
      return ok(client.POST("/api/v1/document-numbering/set-next/", { body: { kind: row.kind, store: row.store, day: row.day, next_number }, headers: idempotent() }));
    },
    onSuccess: async (saved) => {
      message.success(t("sysSettings.nextSaved", { number: saved.next }));
      await queryClient.invalidateQueries({ queryKey: [API] });
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  return (
    <Modal
      open
      title={`${row.label} · ${row.store_name}`}
      onCancel={onClose}
      onOk={() => save.mutate()}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "next-save" } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">
        {t("sysSettings.nextHelp", { last: row.last_number })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ next_number: row.next_number }}>
        <Form.Item name="next_number" label={t("sysSettings.nextNumber")} rules={[{ required: true, message: t("common.required") }]}>
          <InputNumber min={row.last_number + 1} max={999999} precision={0} style={{ width: 200 }} data-testid="next-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function NumberingPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const editable = can("numberingEdit");
  const [store, setStore] = useState<number | undefined>();
  const [day, setDay] = useState<Dayjs>(dayjs());
  const stores = useQuery({
    queryKey: ["/api/v1/stores/", "all"],
    queryFn: () => ok(client.GET("/api/v1/stores/", { params: { query: { page_size: 500, active: true } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
  const query = useQuery({
    queryKey: [API, store, day.format("YYYY-MM-DD")],
    queryFn: () => ok(client.GET("/api/v1/document-numbering/", { params: { query: { store, day: day.format("YYYY-MM-DD") } } })),
  });
  const [editing, setEditing] = useState<NumberSeriesRow | null>(null);
  return (
    <Card title={t("sysSettings.numberingTitle")}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("sysSettings.numberingHelp")} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t("sysSettings.stores")}
          style={{ width: 220 }}
          value={store}
          onChange={setStore}
          data-testid="numbering-store"
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
        />
        <DatePicker allowClear={false} value={day} onChange={(value) => value && setDay(value)} />
      </Space>
      <ListTable<NumberSeriesRow>
        list={{ query, rows: query.data ?? [] }}
        rowKey={(row) => `${row.kind}-${row.store}`}
        testId="numbering-table"
        size="small"
        pagination={{ pageSize: 50, showSizeChanger: false }}
        cardTitle={(row) => `${row.label} · ${row.store_name}`}
        columns={[
          { title: t("sysSettings.documentKind"), dataIndex: "label", key: "label" },
          { title: t("sysSettings.store"), key: "store", render: (_v, row) => row.store_name },
          { title: t("sysSettings.prefix"), dataIndex: "prefix", key: "prefix" },
          { title: t("sysSettings.pattern"), dataIndex: "pattern", key: "pattern" },
          { title: t("sysSettings.lastNumber"), dataIndex: "last_number", key: "last_number", align: "right" },
          { title: t("sysSettings.nextDocumentNumber"), dataIndex: "next", key: "next" },
          ...(editable
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_v: unknown, row: NumberSeriesRow) => (
                    <Button size="small" onClick={() => setEditing(row)} data-testid={`next-${row.kind}-${row.store}`}>
                      {t("sysSettings.setNext")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <NextModal row={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
