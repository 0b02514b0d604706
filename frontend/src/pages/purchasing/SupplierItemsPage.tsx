// The supplier catalogue (供应商商品): what each supplier sells, in which unit and pack, at
// which price since when. A list with search and filters (table on a PC, cards on a phone),
// a drawer to add or edit a row, the price history with "change price", import and export.
import { useState } from "react";
import {
  App as AntApp,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from "antd";
import { DownloadOutlined, HistoryOutlined, PlusOutlined, StarFilled } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import dayjs, { type Dayjs } from "dayjs";
import { ImportButton } from "../../components/ImportButton";
import { SkuPicker } from "../../components/SkuPicker";
import { useAuth, useCurrencySign } from "../../auth/auth";
import { client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import { useList } from "../../api/useList";
import { useUnits } from "../../api/hooks";
import type { SupplierItemRow, SupplierPriceRow } from "../../api/contract";
import { formatMoney, formatQty } from "../../lib/format";
import { exportUrl, orderingParam, sortOrderOf } from "../master/tableState";
import { toBody, toValues, type SupplierItemValues } from "./supplierItemForm";

const API = "/api/v1/supplier-items/";
type Flag = "" | "true" | "false";

function useSuppliers() {
  return useQuery({
    queryKey: ["/api/v1/suppliers/", "all"],
    queryFn: () => ok(client.GET("/api/v1/suppliers/", { params: { query: { page_size: 500 } } })),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

function validity(row: { price_valid_from?: string; price_valid_to?: string | null }, t: TFunction) {
  return `${row.price_valid_from ?? ""} ~ ${row.price_valid_to ?? t("supplierItem.open")}`;
}

function ItemDrawer({ row, onClose }: { row: SupplierItemRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const isMobile = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<SupplierItemValues>();
  const suppliers = useSuppliers();
  const units = useUnits();
  const editing = row !== null;
  const save = useMutation({
    mutationFn: async () => {
      const body = toBody(await form.validateFields(), editing);
      return editing
        ? ok(client.PATCH("/api/v1/supplier-items/{id}/", { params: { path: { id: row.id } }, body, headers: idempotent() }))
        : ok(
            client.POST("/api/v1/supplier-items/", {
              // supplier, SKU and price are required by the form's rules
              body: { ...body, supplier: given(body.supplier), sku: given(body.sku), price: given(body.price) },
              headers: idempotent(),
            }),
          );
    },
    onSuccess: async () => {
      message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: [API] });
      onClose();
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      showError(error, t, message, form);
    },
  });
  const required = [{ required: true, message: t("common.required") }];
  return (
    <Drawer
      open
      onClose={onClose}
      width={isMobile ? "100%" : 560}
      title={editing ? `${row.supplier_detail.code} · ${row.sku_detail.code} ${row.sku_detail.name}` : t("supplierItem.create")}
      destroyOnHidden
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="supplier-item-save">
          {t("common.save")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={toValues(row)}>
        <Form.Item name="supplier" label={t("supplierItem.supplier")} rules={required}>
          <Select
            showSearch
            optionFilterProp="label"
            disabled={editing}
            data-testid="supplier-item-supplier"
            options={(suppliers.data ?? []).filter((s) => s.active !== false || s.id === row?.supplier).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          />
        </Form.Item>
        <Form.Item name="sku" label={t("supplierItem.sku")} rules={required}>
          {editing ? <Input disabled value={`${row.sku_detail.code} ${row.sku_detail.name}`} /> : <SkuPickerField />}
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="item_code" label={t("supplierItem.itemCode")}>
              <Input maxLength={64} data-testid="supplier-item-code" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="purchase_unit" label={t("supplierItem.purchaseUnit")} tooltip={t("supplierItem.purchaseUnitHelp")}>
              <Select allowClear data-testid="supplier-item-unit" options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="pack_size" label={t("supplierItem.packSize")} tooltip={t("supplierItem.packSizeHelp")}>
              <InputNumber<string> stringMode min="0" style={{ width: "100%" }} data-testid="supplier-item-pack" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="price" label={t("supplierItem.price")} rules={required}>
              <InputNumber<string> stringMode min="0" precision={4} style={{ width: "100%" }} data-testid="supplier-item-price" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="price_valid_from" label={t("supplierItem.validFrom")}>
              <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="price_valid_to" label={t("supplierItem.validTo")}>
              <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} placeholder={t("supplierItem.open")} />
            </Form.Item>
          </Col>
          {editing && (
            <Col span={24}>
              <Form.Item name="price_note" label={t("supplierItem.priceNote")} tooltip={t("supplierItem.priceNoteHelp")}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} sm={8}>
            <Form.Item name="min_order_qty" label={t("supplierItem.minOrderQty")}>
              <InputNumber<string> stringMode min="0" style={{ width: "100%" }} data-testid="supplier-item-moq" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="lead_time_days" label={t("supplierItem.leadTime")} tooltip={t("supplierItem.leadTimeHelp")}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={4}>
            <Form.Item name="preferred" label={t("supplierItem.preferred")} valuePropName="checked">
              <Switch data-testid="supplier-item-preferred" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={4}>
            <Form.Item name="active" label={t("supplierItem.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="notes" label={t("supplierItem.notes")}>
          <Input.TextArea maxLength={300} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** SkuPicker as a form control (Form.Item passes value/onChange). */
function SkuPickerField({ value, onChange }: { value?: number; onChange?: (value: number | undefined) => void }) {
  return (
    <div data-testid="supplier-item-sku">
      <SkuPicker value={value} onChange={(next) => onChange?.(next)} />
    </div>
  );
}

interface PriceValues {
  price?: string | null;
  valid_from?: Dayjs | null;
  valid_to?: Dayjs | null;
  note?: string;
}

function HistoryDrawer({ row, onClose }: { row: SupplierItemRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const isMobile = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<PriceValues>();
  const history = useQuery({
    queryKey: [API, row.id, "prices"],
    queryFn: () => ok(client.GET("/api/v1/supplier-items/{id}/prices/", { params: { path: { id: row.id } } })),
  });
  const change = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return ok(client.POST("/api/v1/supplier-items/{id}/change-price/", { params: { path: { id: row.id } }, body: {
          price: String(values.price ?? "").trim(),
          valid_from: values.valid_from ? values.valid_from.format("YYYY-MM-DD") : undefined,
          valid_to: values.valid_to ? values.valid_to.format("YYYY-MM-DD") : null,
          note: values.note ?? "",
        }, headers: idempotent() }));
    },
    onSuccess: async () => {
      message.success(t("supplierItem.priceChanged"));
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: [API] });
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      showError(error, t, message, form, (key) => ({ price_valid_from: "valid_from", price_valid_to: "valid_to" })[key] ?? key);
    },
  });
  const unit = row.purchase_unit_detail.name;
  return (
    <Drawer
      open
      onClose={onClose}
      width={isMobile ? "100%" : 620}
      destroyOnHidden
      title={`${t("supplierItem.history")} · ${row.supplier_detail.code} · ${row.sku_detail.code} ${row.sku_detail.name}`}
    >
      {can("supplierItemsEdit") && (
        <Card size="small" title={t("supplierItem.changePrice")} style={{ marginBottom: 16 }}>
          <Form form={form} layout="vertical" initialValues={{ price: null, valid_from: dayjs(), valid_to: null, note: "" }}>
            <Row gutter={12}>
              <Col xs={12} sm={6}>
                <Form.Item name="price" label={`${t("supplierItem.price")} / ${unit}`} rules={[{ required: true, message: t("common.required") }]}>
                  <InputNumber<string> stringMode min="0" precision={4} style={{ width: "100%" }} data-testid="change-price-price" />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name="valid_from" label={t("supplierItem.validFrom")}>
                  <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name="valid_to" label={t("supplierItem.validTo")}>
                  <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} placeholder={t("supplierItem.open")} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name="note" label={t("supplierItem.priceNote")}>
                  <Input maxLength={200} data-testid="change-price-note" />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" loading={change.isPending} onClick={() => change.mutate()} data-testid="change-price-save">
              {t("supplierItem.changePrice")}
            </Button>
          </Form>
        </Card>
      )}
      <Table<SupplierPriceRow>
        rowKey="id"
        size="small"
        loading={history.isFetching}
        dataSource={history.data ?? []}
        pagination={false}
        scroll={{ x: 520 }}
        data-testid="price-history"
        columns={[
          { title: `${t("supplierItem.price")} / ${unit}`, dataIndex: "price", align: "right", render: formatMoney },
          { title: t("supplierItem.validity"), key: "validity", render: (_v, p) => `${p.valid_from} ~ ${p.valid_to ?? t("supplierItem.open")}` },
          { title: t("supplierItem.recordedAt"), dataIndex: "recorded_at", render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm") },
          { title: t("supplierItem.recordedBy"), dataIndex: "recorded_by" },
          { title: t("supplierItem.priceNote"), dataIndex: "note" },
        ]}
      />
    </Drawer>
  );
}

export function SupplierItemsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const sign = useCurrencySign();
  const isMobile = Grid.useBreakpoint().md === false;
  const suppliers = useSuppliers();
  const [search, setSearch] = useState("");
  const [supplier, setSupplier] = useState<number | undefined>(undefined);
  const [preferred, setPreferred] = useState<Flag>("");
  const [active, setActive] = useState<Flag>("true");
  const [ordering, setOrdering] = useState("");
  const [editing, setEditing] = useState<SupplierItemRow | null | undefined>(undefined);
  const [historyOf, setHistoryOf] = useState<SupplierItemRow | null>(null);
  const filters = { search, supplier, preferred, active, ordering };
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "" && v !== undefined)) as Record<string, string | number>;
  const list = useList(API, query);
  const editable = can("supplierItemsEdit");
  const sorted = (key: string) => ({ key, sorter: true, sortOrder: sortOrderOf(ordering, key) });
  const change = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    list.resetPage();
  };

  const actions = (row: SupplierItemRow) => (
    <Space size={0} wrap>
      <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistoryOf(row)} data-testid={`supplier-item-history-${row.id}`}>
        {t("supplierItem.history")}
      </Button>
      {editable && (
        <Button type="link" size="small" onClick={() => setEditing(row)} data-testid={`supplier-item-edit-${row.id}`}>
          {t("common.edit")}
        </Button>
      )}
    </Space>
  );
  const preferredTag = (row: SupplierItemRow) =>
    row.preferred ? (
      <Tag color="gold" icon={<StarFilled />}>
        {t("supplierItem.preferred")}
      </Tag>
    ) : null;
  const columns: TableColumnsType<SupplierItemRow> = [
    {
      title: t("supplierItem.sku"),
      ...sorted("sku__code"),
      render: (_v, row) => (
        <span>
          {row.sku_detail.code} {row.sku_detail.name}{" "}
          {row.sku_detail.spec ? <Typography.Text type="secondary">{row.sku_detail.spec}</Typography.Text> : null}
        </span>
      ),
    },
    { title: t("supplierItem.supplier"), ...sorted("supplier__code"), render: (_v, row) => `${row.supplier_detail.code} ${row.supplier_detail.name}` },
    { title: t("supplierItem.itemCode"), key: "item_code", dataIndex: "item_code", width: 110 },
    {
      title: t("supplierItem.purchaseUnit"),
      key: "unit",
      width: 110,
      render: (_v, row) => `${row.purchase_unit_detail.name} × ${formatQty(row.pack_size)} ${row.sku_detail.base_unit.name}`,
    },
    { title: t("supplierItem.price"), ...sorted("price"), dataIndex: "price", align: "right", width: 100, render: formatMoney },
    { title: t("supplierItem.basePrice"), key: "base_unit_price", dataIndex: "base_unit_price", align: "right", width: 100, render: formatMoney },
    { title: t("supplierItem.validity"), ...sorted("price_valid_from"), width: 190, render: (_v, row) => validity(row, t) },
    { title: t("supplierItem.minOrderQty"), ...sorted("min_order_qty"), dataIndex: "min_order_qty", align: "right", width: 90, render: formatQty },
    { title: t("supplierItem.leadTime"), ...sorted("lead_time_days"), dataIndex: "effective_lead_time_days", align: "right", width: 90 },
    { title: "", key: "flags", width: 90, render: (_v, row) => preferredTag(row) ?? (row.active === false ? <Tag>{t("supplierItem.inactive")}</Tag> : null) },
    // kept in view at the right edge whatever the width (at 1440 px the table scrolls)
    { title: t("common.actions"), key: "actions", width: 150, fixed: "right", render: (_v, row) => actions(row) },
  ];

  return (
    <Card
      title={t("supplierItem.title")}
      extra={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={exportUrl(API, query)} data-testid="supplier-items-export">
            {t("common.export")}
          </Button>
          {editable && <ImportButton api={API} />}
          {editable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="supplier-item-create">
              {t("common.create")}
            </Button>
          )}
        </Space>
      }
    >
      <Space style={{ marginBottom: 12, width: "100%" }} wrap>
        <Input.Search
          allowClear
          placeholder={t("supplierItem.searchPlaceholder")}
          enterButton={t("common.search")}
          onSearch={(value) => change(setSearch)(value.trim())}
          style={{ maxWidth: 360 }}
          data-testid="supplier-items-search"
        />
        <Select<number>
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t("supplierItem.supplier")}
          value={supplier}
          onChange={(value) => change(setSupplier)(value ?? undefined)}
          style={{ minWidth: 200 }}
          data-testid="supplier-items-supplier"
          options={(suppliers.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
        />
        <Select<Flag>
          value={preferred}
          onChange={change(setPreferred)}
          style={{ width: 150 }}
          data-testid="supplier-items-preferred"
          options={[
            { value: "", label: t("supplierItem.allSuppliers") },
            { value: "true", label: t("supplierItem.preferredOnly") },
            { value: "false", label: t("supplierItem.othersOnly") },
          ]}
        />
        <Select<Flag>
          value={active}
          onChange={change(setActive)}
          style={{ width: 130 }}
          options={[
            { value: "", label: t("productEdit.allStatuses") },
            { value: "true", label: t("productEdit.activeOnly") },
            { value: "false", label: t("productEdit.inactiveOnly") },
          ]}
        />
      </Space>
      {isMobile ? (
        <List<SupplierItemRow>
          loading={list.query.isFetching}
          dataSource={list.rows}
          pagination={list.listPagination(t)}
          renderItem={(row) => (
            <List.Item data-testid="supplier-item-card" style={row.active === false ? { opacity: 0.55 } : undefined}>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <span>
                      {row.sku_detail.code} {row.sku_detail.name}
                    </span>
                    {preferredTag(row)}
                  </Space>
                }
                description={
                  <>
                    <div>
                      {row.supplier_detail.name}
                      {row.item_code ? ` · ${row.item_code}` : ""}
                    </div>
                    <div>
                      <Typography.Text strong>{sign}{formatMoney(row.price)}</Typography.Text> / {row.purchase_unit_detail.name} × {formatQty(row.pack_size)}{" "}
                      {row.sku_detail.base_unit.name} · {validity(row, t)}
                    </div>
                    <div>
                      {t("supplierItem.minOrderQty")} {formatQty(row.min_order_qty)} · {t("supplierItem.leadTime")} {row.effective_lead_time_days}
                    </div>
                    {actions(row)}
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<SupplierItemRow>
          rowKey="id"
          size="middle"
          loading={list.query.isFetching}
          dataSource={list.rows}
          pagination={list.pagination(t)}
          scroll={{ x: 1200 }}
          onRow={(row) => (row.active === false ? { style: { opacity: 0.55 } } : {})}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== "sort") return;
            setOrdering(orderingParam(sorter));
            list.resetPage();
          }}
          columns={columns}
          data-testid="supplier-items-table"
        />
      )}
      {editing !== undefined && <ItemDrawer row={editing} onClose={() => setEditing(undefined)} />}
      {historyOf && <HistoryDrawer row={historyOf} onClose={() => setHistoryOf(null)} />}
    </Card>
  );
}
