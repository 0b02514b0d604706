import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { useUnits } from "../../api/hooks";
import { showError } from "../../api/errors";
import type { ProductCreate } from "../../api/contract";

interface ProductForm {
  code: string;
  name: string;
  base_unit: number;
  spec?: string;
  barcode?: string;
  purchase_price?: string;
  retail_price?: string;
  safety_stock?: string;
  case_unit?: number;
  case_factor?: string;
  case_barcode?: string;
}

/** The product with one SKU (a simple product) and its primary barcode. */
export function productPayload(values: ProductForm): ProductCreate {
  const barcode = values.barcode?.trim();
  const caseBarcode = values.case_barcode?.trim();
  const hasCase = values.case_unit !== undefined && !!values.case_factor;
  const barcodes = [
    ...(barcode ? [{ code: barcode, is_primary: true }] : []),
    ...(hasCase && caseBarcode ? [{ code: caseBarcode, unit: values.case_unit }] : []),
  ];
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    base_unit: values.base_unit,
    skus: [
      {
        spec: values.spec ?? "",
        purchase_price: values.purchase_price ?? "0",
        retail_price: values.retail_price ?? "0",
        safety_stock: values.safety_stock ?? "0",
        ...(barcodes.length ? { barcodes } : {}),
        ...(hasCase && values.case_unit !== undefined && values.case_factor
          ? { units: [{ unit: values.case_unit, factor: values.case_factor }] }
          : {}),
      },
    ],
  };
}

/** API field names of the nested SKU ("skus.0.barcodes.0.code") → the form's fields. */
export function productField(key: string): string {
  if (key.startsWith("skus.0.barcodes.1")) return "case_barcode";
  if (key.startsWith("skus.0.barcodes")) return "barcode";
  if (key.startsWith("skus.0.units")) return "case_factor";
  if (key.startsWith("skus.0.")) return key.slice("skus.0.".length);
  return key;
}

export function ProductCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ProductForm>();
  const units = useUnits();
  const create = useMutation({
    mutationFn: (values: ProductForm) =>
      ok(client.POST("/api/v1/products/", { body: productPayload(values) })),
    onSuccess: async () => {
      message.success(t("product.created"));
      await queryClient.invalidateQueries({ queryKey: ["/api/v1/skus/"] });
      navigate("/master/products");
    },
    onError: (error) => showError(error, t, message, form, productField),
  });

  const decimal = (name: keyof ProductForm, label: string) => (
    <Col xs={24} md={8}>
      <Form.Item name={name} label={label}>
        <InputNumber<string> id={`product-${name}`} stringMode min="0" style={{ width: "100%" }} />
      </Form.Item>
    </Col>
  );

  return (
    <Card title={t("product.createTitle")}>
      <Form<ProductForm>
        form={form}
        layout="vertical"
        onFinish={(values) => create.mutate(values)}
        initialValues={{ purchase_price: "0", retail_price: "0", safety_stock: "0" }}
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="code" label={t("product.code")} rules={[{ required: true, message: t("common.required") }]}>
              <Input id="product-code" maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t("product.name")} rules={[{ required: true, message: t("common.required") }]}>
              <Input id="product-name" maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="base_unit" label={t("product.baseUnit")} rules={[{ required: true, message: t("common.required") }]}>
              <Select
                id="product-base-unit"
                loading={units.isLoading}
                showSearch
                optionFilterProp="label"
                options={(units.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="barcode" label={t("product.barcode")}>
              <Input id="product-barcode" maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="spec" label={t("product.spec")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          {decimal("purchase_price", t("product.purchasePrice"))}
          {decimal("retail_price", t("product.retailPrice"))}
          {decimal("safety_stock", t("product.safetyStock"))}
          <Col xs={24}>
            <Typography.Text strong>{t("product.caseSection")}</Typography.Text>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="case_unit" label={t("product.caseUnit")}>
              <Select
                id="product-case-unit"
                allowClear
                options={(units.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="case_factor" label={t("product.caseFactor")}>
              <InputNumber<string> id="product-case-factor" stringMode min="0" style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="case_barcode" label={t("product.caseBarcode")}>
              <Input id="product-case-barcode" maxLength={64} />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="product-save">
            {t("common.save")}
          </Button>
          <Button onClick={() => navigate(-1)}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Card>
  );
}
