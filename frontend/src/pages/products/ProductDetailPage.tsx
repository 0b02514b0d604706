// A product's detail/edit page: the product's fields (PATCH /products/{id}/), its SKUs with an edit
// drawer each, "add SKU" (POST /skus/) and "generate variants" for apparel (POST .../variants/);
// delete (when never used) or deactivate / activate the product. Inactive SKUs are greyed.
import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router";
import {
  App as AntApp,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from "antd";
import { AppstoreAddOutlined, DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, ok } from "../../api/http";
import { fetchAllOf, type ListPathFor } from "../../api/useList";
import { showError } from "../../api/errors";
import { useUnits } from "../../api/hooks";
import type { Category } from "../../api/contract";
import { useAuth } from "../../auth/auth";
import { formatMoney } from "../../lib/format";
import { SkuEditDrawer } from "./SkuEditDrawer";
import { useLifecycle } from "./useLifecycle";
import {
  categoryTree,
  variantCount,
  variantsBody,
  type Brand,
  type ProductPatch,
  type ProductRow,
  type ProductSkuRow,
  type SkuCreate,
  type VariantsForm,
} from "./productEdit";

interface ProductForm {
  name: string;
  category?: number | null;
  brand?: number | null;
  base_unit: number;
  tracking: "none" | "batch";
  shelf_life_days?: number | null;
  tax_rate?: string | null;
  description?: string;
}

function productFormValues(product: ProductRow): ProductForm {
  return {
    name: product.name,
    category: product.category ?? null,
    brand: product.brand ?? null,
    base_unit: product.base_unit,
    tracking: product.tracking ?? "none",
    shelf_life_days: product.shelf_life_days ?? null,
    tax_rate: product.tax_rate ?? "0",
    description: product.description ?? "",
  };
}

function productPatch(values: ProductForm): ProductPatch {
  return {
    name: values.name.trim(),
    category: values.category ?? null,
    brand: values.brand ?? null,
    base_unit: values.base_unit,
    tracking: values.tracking,
    shelf_life_days: values.shelf_life_days ?? null,
    tax_rate: values.tax_rate === null || values.tax_rate === undefined || values.tax_rate === "" ? "0" : values.tax_rate,
    description: values.description ?? "",
  };
}

function useAll<T>(url: ListPathFor<T>) {
  return useQuery({
    queryKey: [url, "all"],
    queryFn: () => fetchAllOf<T>(url),
    select: (page) => page.results,
    staleTime: 60_000,
  });
}

function VariantsDialog({ productId, open, onClose, onDone }: { productId: number; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<VariantsForm>();
  const values = Form.useWatch([], form) as VariantsForm | undefined;
  const count = variantCount(variantsBody(values ?? {}));
  const create = useMutation({
    mutationFn: (body: NonNullable<ReturnType<typeof variantsBody>>) =>
      ok(client.POST("/api/v1/products/{id}/variants/", { params: { path: { id: productId } }, body })),
    onSuccess: (created) => {
      message.success(t("productEdit.variantsCreated", { count: created.length }));
      form.resetFields();
      onDone();
      onClose();
    },
    onError: (error) => showError(error, t, message),
  });
  const submit = (form_values: VariantsForm) => {
    const body = variantsBody(form_values);
    if (!body) {
      message.error(t("productEdit.variantsNeedOne"));
      return;
    }
    create.mutate(body);
  };
  return (
    <Modal
      open={open}
      title={t("productEdit.variants")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("productEdit.generate")}
      cancelText={t("common.cancel")}
      confirmLoading={create.isPending}
      okButtonProps={{ "data-testid": "variants-submit" }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("productEdit.variantsHint")}</Typography.Paragraph>
      <Form<VariantsForm> form={form} layout="vertical" onFinish={submit}>
        <Row gutter={8}>
          <Col xs={24} sm={8}>
            <Form.Item name="name1" label={t("productEdit.variantName1")}>
              <Input id="variant-name1" maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="values1" label={t("productEdit.variantValues1")}>
              <Input id="variant-values1" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="name2" label={t("productEdit.variantName2")}>
              <Input id="variant-name2" maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="values2" label={t("productEdit.variantValues2")}>
              <Input id="variant-values2" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="retail_price" label={t("product.retailPrice")}>
              <InputNumber<string> stringMode min="0" style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text>{t("productEdit.variantCount", { count })}</Typography.Text>
      </Form>
    </Modal>
  );
}

interface NewSkuForm {
  code: string;
  name: string;
  spec?: string;
  retail_price?: string | null;
}

function AddSkuDialog({ product, open, onClose, onDone }: { product: ProductRow; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewSkuForm>();
  // each opening starts afresh, with the product's name as it is now: the form's store outlives
  // the dialog, and kept what was typed before a cancel and the name before a rename
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ name: product.name });
  }, [open, product.name, form]);
  const create = useMutation({
    mutationFn: (values: NewSkuForm) => {
      const body: SkuCreate = {
        product: product.id,
        code: values.code.trim(),
        name: values.name.trim(),
        spec: (values.spec ?? "").trim(),
        ...(values.retail_price ? { retail_price: values.retail_price } : {}),
      };
      return ok(client.POST("/api/v1/skus/", { body }));
    },
    onSuccess: () => {
      message.success(t("productEdit.skuCreated"));
      form.resetFields();
      onDone();
      onClose();
    },
    onError: (error) => showError(error, t, message, form),
  });
  return (
    <Modal
      open={open}
      title={t("productEdit.addSku")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<NewSkuForm>
        form={form}
        layout="vertical"
        initialValues={{ name: product.name }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="code" label={t("productEdit.skuCode")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="name" label={t("productEdit.skuName")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="spec" label={t("product.spec")}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="retail_price" label={t("product.retailPrice")}>
          <InputNumber<string> stringMode min="0" style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ProductDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProductForm>();
  const [editing, setEditing] = useState<number | null>(null);
  const [variantsOpen, setVariantsOpen] = useState(false);
  const [addSkuOpen, setAddSkuOpen] = useState(false);
  const url = `/api/v1/products/${id}/`;
  const product = useQuery({ queryKey: [url], queryFn: () => ok(client.GET("/api/v1/products/{id}/", { params: { path: { id: Number(id) } } })) });
  const units = useUnits();
  const categories = useAll<Category>("/api/v1/categories/");
  const brands = useAll<Brand>("/api/v1/brands/");
  const editable = can("productsEdit");
  const navigate = useNavigate();

  useEffect(() => {
    if (product.data) form.setFieldsValue(productFormValues(product.data));
  }, [product.data, form]);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: [url] });
    await queryClient.invalidateQueries({ queryKey: ["/api/v1/skus/"] });
  };

  const lifecycle = useLifecycle({
    path: "/api/v1/products/{id}/",
    id: Number(id),
    label: t("productEdit.productLabel", { code: product.data?.code ?? "" }),
    onDeleted: () => {
      void queryClient.invalidateQueries({ queryKey: ["/api/v1/skus/"] });
      navigate("/master/products");
    },
    onChanged: () => void refresh(),
  });

  const save = useMutation({
    mutationFn: (values: ProductForm) => ok(client.PATCH("/api/v1/products/{id}/", { params: { path: { id: Number(id) } }, body: productPatch(values) })),
    onSuccess: async () => {
      message.success(t("productEdit.saved"));
      await refresh();
    },
    onError: (error) => showError(error, t, message, form),
  });

  if (product.isLoading) return <Spin style={{ display: "block", padding: 48 }} />;
  if (product.error || !product.data) {
    const notFound = product.error instanceof ApiError && product.error.status === 404;
    return <Result status={notFound ? "404" : "error"} title={notFound ? t("productEdit.notFound") : t("error.unknown")} />;
  }
  const data = product.data;
  const baseUnitId = data.base_unit;
  const unitName = (unitId: number | null | undefined) =>
    unitId ? units.data?.find((u) => u.id === unitId)?.name ?? String(unitId) : units.data?.find((u) => u.id === baseUnitId)?.name ?? "";

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={
          <Space wrap size={4}>
            {`${t("productEdit.productSection")} · ${data.code}`}
            {data.active === false && <Tag data-testid="product-inactive-tag">{t("productEdit.inactive")}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {editable &&
              (data.active === false ? (
                <Button onClick={lifecycle.activate} loading={lifecycle.busy} data-testid="product-activate">
                  {t("productEdit.activate")}
                </Button>
              ) : (
                <Button icon={<StopOutlined />} onClick={lifecycle.deactivate} data-testid="product-deactivate">
                  {t("productEdit.deactivate")}
                </Button>
              ))}
            {can("productsDelete") && (
              <Button danger icon={<DeleteOutlined />} onClick={lifecycle.remove} data-testid="product-delete">
                {t("productEdit.delete")}
              </Button>
            )}
          </Space>
        }
      >
        <Form<ProductForm> form={form} layout="vertical" disabled={!editable} onFinish={(values) => save.mutate(values)}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t("product.name")} rules={[{ required: true, message: t("common.required") }]}>
                <Input id="product-name" maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="category" label={t("productEdit.category")}>
                <TreeSelect
                  id="product-category"
                  allowClear
                  showSearch
                  treeNodeFilterProp="title"
                  treeDefaultExpandAll
                  loading={categories.isLoading}
                  treeData={categoryTree(categories.data ?? [])}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="brand" label={t("productEdit.brand")}>
                <Select
                  id="product-brand"
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  loading={brands.isLoading}
                  options={(brands.data ?? []).map((b) => ({ value: b.id, label: `${b.name} (${b.code})` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="base_unit" label={t("productEdit.baseUnit")} rules={[{ required: true, message: t("common.required") }]}>
                <Select
                  id="product-base-unit"
                  showSearch
                  optionFilterProp="label"
                  loading={units.isLoading}
                  options={(units.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="tracking" label={t("productEdit.tracking")}>
                <Select
                  id="product-tracking"
                  options={[
                    { value: "none", label: t("productEdit.trackingNone") },
                    { value: "batch", label: t("productEdit.trackingBatch") },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="shelf_life_days" label={t("productEdit.shelfLife")}>
                <InputNumber id="product-shelf-life" min={0} precision={0} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="tax_rate" label={t("productEdit.taxRate")}>
                <InputNumber<string> id="product-tax-rate" stringMode min="0" max="1" step="0.01" style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="description" label={t("productEdit.description")}>
                <Input.TextArea id="product-description" autoSize={{ minRows: 1, maxRows: 4 }} />
              </Form.Item>
            </Col>
          </Row>
          {editable && (
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="product-save">
              {t("common.save")}
            </Button>
          )}
        </Form>
      </Card>

      <Card
        title={t("productEdit.skusSection")}
        extra={
          <Space wrap>
            {can("skusCreate") && (
              <Button icon={<PlusOutlined />} onClick={() => setAddSkuOpen(true)} data-testid="sku-add">
                {t("productEdit.addSku")}
              </Button>
            )}
            {can("skusCreate") && (
              <Button icon={<AppstoreAddOutlined />} onClick={() => setVariantsOpen(true)} data-testid="variants-open">
                {t("productEdit.variants")}
              </Button>
            )}
          </Space>
        }
      >
        <Table<ProductSkuRow>
          rowKey="id"
          size="middle"
          dataSource={data.skus ?? []}
          rowClassName={(row) => (row.active === false ? "row-inactive" : "")}
          onRow={(row) => (row.active === false ? { style: { opacity: 0.55 } } : {})}
          pagination={false}
          scroll={{ x: 760 }}
          columns={[
            { title: t("productEdit.skuCode"), dataIndex: "code", width: 140 },
            {
              title: t("product.name"),
              key: "name",
              render: (_value, row) => (
                <span>
                  {row.name} {row.spec ? <Typography.Text type="secondary">{row.spec}</Typography.Text> : null}
                </span>
              ),
            },
            {
              title: t("productEdit.attributes"),
              key: "attributes",
              render: (_value, row) =>
                Object.entries(row.attributes ?? {}).map(([name, value]) => <Tag key={name}>{`${name}: ${value}`}</Tag>),
            },
            {
              title: t("productEdit.barcodes"),
              key: "barcodes",
              render: (_value, row) =>
                (row.barcodes ?? []).map((b) => (
                  <Tag key={b.code} color={b.is_primary ? "blue" : undefined}>
                    {b.code} · {unitName(b.unit)}
                  </Tag>
                )),
            },
            { title: t("product.retailPrice"), dataIndex: "retail_price", align: "right", width: 100, render: formatMoney },
            {
              title: t("product.active"),
              dataIndex: "active",
              width: 70,
              render: (active: boolean | undefined) =>
                active === false ? <Tag>{t("productEdit.inactive")}</Tag> : <Tag color="green">{t("common.yes")}</Tag>,
            },
            {
              title: t("common.actions"),
              key: "actions",
              width: 90,
              fixed: "right",
              render: (_value, row) => (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(row.id)} data-testid={`sku-edit-${row.code}`}>
                  {can("skusEdit") ? t("productEdit.edit") : t("common.view")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <SkuEditDrawer skuId={editing} onClose={() => setEditing(null)} onSaved={() => void refresh()} />
      <VariantsDialog productId={data.id} open={variantsOpen} onClose={() => setVariantsOpen(false)} onDone={() => void refresh()} />
      <AddSkuDialog product={data} open={addSkuOpen} onClose={() => setAddSkuOpen(false)} onDone={() => void refresh()} />
    </Space>
  );
}
