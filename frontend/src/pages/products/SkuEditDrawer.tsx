// The SKU edit drawer of the product page: prices, spec, attributes, barcodes (with their unit and
// a "generate internal barcode" button) and unit conversions (each with its own case barcode,
// generated and printed from the row); saved with one PATCH. Delete / deactivate / activate act
// at once (useLifecycle).
import { useEffect } from "react";
import {
  App as AntApp,
  Button,
  Checkbox,
  Col,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { BarcodeOutlined, DeleteOutlined, PlusOutlined, PrinterOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok, given } from "../../api/http";
import { showError } from "../../api/errors";
import { useUnits } from "../../api/hooks";
import { useAuth } from "../../auth/auth";
import { fetchLabelsPdf, openPendingTab, showPdf } from "../../features/printing/print";
import {
  barcodesOfUnit,
  barcodeUnitOptions,
  skuField,
  skuFormValues,
  skuPatch,
  type BarcodeLine,
  type SkuForm,
  type UnitLine,
} from "./productEdit";
import { useLifecycle } from "./useLifecycle";

interface Props {
  skuId: number | null;
  onClose: () => void;
  onSaved: () => void;
}

export function SkuEditDrawer({ skuId, onClose, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useAuth();
  const editable = can("skusEdit");
  const deletable = can("skusDelete");
  const isMobile = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<SkuForm>();
  const units = useUnits();
  const url = `/api/v1/skus/${skuId}/`;
  const sku = useQuery({
    queryKey: [url],
    queryFn: () => ok(client.GET("/api/v1/skus/{id}/", { params: { path: { id: given(skuId) } } })),
    enabled: skuId !== null,
    staleTime: 0,
  });
  const lifecycle = useLifecycle({
    path: "/api/v1/skus/{id}/",
    id: skuId,
    label: t("productEdit.skuLabel", { code: sku.data?.code ?? "" }),
    onDeleted: () => {
      onSaved();
      onClose();
    },
    onChanged: () => {
      void sku.refetch();
      onSaved();
    },
  });

  useEffect(() => {
    if (sku.data && skuId !== null) form.setFieldsValue(skuFormValues(sku.data));
  }, [sku.data, skuId, form]);

  const save = useMutation({
    mutationFn: (values: SkuForm) => ok(client.PATCH("/api/v1/skus/{id}/", { params: { path: { id: given(skuId) } }, body: skuPatch(values) })),
    onSuccess: () => {
      message.success(t("productEdit.skuSaved"));
      onSaved();
      onClose();
    },
    onError: (error) => showError(error, t, message, form, skuField),
  });

  const generate = useMutation({
    mutationFn: (unit: number | null) =>
      ok(client.POST("/api/v1/skus/{id}/generate-barcode/", { params: { path: { id: given(skuId) } }, body: { unit } })),
    onSuccess: (barcode) => {
      // already saved on the server: add it to the form without losing the user's other edits
      const lines = form.getFieldValue("barcodes") ?? [];
      form.setFieldValue("barcodes", [
        ...lines,
        { code: barcode.code, unit: barcode.unit ?? 0, is_primary: !!barcode.is_primary },
      ]);
      message.success(t("productEdit.barcodeGenerated", { code: barcode.code }));
      onSaved();
    },
    onError: (error) => showError(error, t, message),
  });

  const printLabel = async (unit: number) => {
    const tab = openPendingTab();
    try {
      const pdf = await fetchLabelsPdf({ items: [{ sku: skuId!, quantity: 1, unit }], size: "40x30", show_price: true }, i18n.language);
      showPdf(pdf, tab);
    } catch (error) {
      tab?.close();
      showError(error, t, message);
    }
  };

  const unitLines = Form.useWatch("units", form) as UnitLine[] | undefined;
  const barcodeLines = Form.useWatch("barcodes", form) as BarcodeLine[] | undefined;
  const savedUnits = new Set((sku.data?.units ?? []).map((u) => u.unit));
  const unitName = (id: number) => units.data?.find((u) => u.id === id)?.name ?? String(id);
  const baseUnit = sku.data?.base_unit;
  const barcodeUnits = baseUnit ? barcodeUnitOptions(baseUnit, unitLines, unitName) : [];
  const conversionUnits = (units.data ?? [])
    .filter((u) => u.id !== baseUnit?.id)
    .map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }));

  const money = (name: keyof SkuForm, label: string, allowEmpty = false) => (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={label}>
        <InputNumber<string>
          id={`sku-${name}`}
          stringMode
          min="0"
          style={{ width: "100%" }}
          {...(allowEmpty ? {} : { placeholder: "0" })}
        />
      </Form.Item>
    </Col>
  );

  return (
    <Drawer
      open={skuId !== null}
      onClose={onClose}
      width={isMobile ? "100%" : 680}
      destroyOnHidden
      title={
        <Space wrap size={4}>
          {t("productEdit.editSku", { code: sku.data?.code ?? "" })}
          {sku.data?.active === false && <Tag data-testid="sku-inactive-tag">{t("productEdit.inactive")}</Tag>}
        </Space>
      }
      extra={
        editable ? (
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="sku-save">
            {t("common.save")}
          </Button>
        ) : null
      }
      footer={
        editable || deletable ? (
          <Space wrap>
            {editable &&
              (sku.data?.active === false ? (
                <Button onClick={lifecycle.activate} loading={lifecycle.busy} data-testid="sku-activate">
                  {t("productEdit.activate")}
                </Button>
              ) : (
                <Button icon={<StopOutlined />} onClick={lifecycle.deactivate} data-testid="sku-deactivate">
                  {t("productEdit.deactivate")}
                </Button>
              ))}
            {deletable && (
              <Button danger icon={<DeleteOutlined />} onClick={lifecycle.remove} data-testid="sku-delete">
                {t("productEdit.delete")}
              </Button>
            )}
          </Space>
        ) : null
      }
    >
      {sku.isLoading ? (
        <Spin />
      ) : (
        <Form<SkuForm> form={form} layout="vertical" disabled={!editable} onFinish={(values) => save.mutate(values)}>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="spec" label={t("product.spec")}>
                <Input id="sku-spec" maxLength={100} />
              </Form.Item>
            </Col>
            {money("purchase_price", t("product.purchasePrice"))}
            {money("retail_price", t("product.retailPrice"))}
            {money("member_price", t("productEdit.memberPrice"), true)}
            {money("safety_stock", t("product.safetyStock"))}
          </Row>

          <Typography.Title level={5}>{t("productEdit.attributes")}</Typography.Title>
          <Form.List name="attributes">
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} wrap={false} align="top">
                    <Col flex="1">
                      <Form.Item name={[field.name, "name"]}>
                        <Input placeholder={t("productEdit.attributeName")} maxLength={20} />
                      </Form.Item>
                    </Col>
                    <Col flex="1">
                      <Form.Item name={[field.name, "value"]}>
                        <Input placeholder={t("productEdit.attributeValue")} maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col>
                      <Button icon={<DeleteOutlined />} aria-label={t("productEdit.remove")} onClick={() => remove(field.name)} />
                    </Col>
                  </Row>
                ))}
                <Form.ErrorList errors={errors} />
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 16 }}>
                  {t("productEdit.addAttribute")}
                </Button>
              </>
            )}
          </Form.List>

          <Typography.Title level={5}>{t("productEdit.units")}</Typography.Title>
          <Form.List name="units">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} align="top" data-testid="sku-unit-row">
                    <Col xs={24} sm={8}>
                      <Form.Item
                        name={[field.name, "unit"]}
                        label={t("productEdit.unit")}
                        rules={[{ required: true, message: t("common.required") }]}
                      >
                        <Select
                          id={`sku-unit-${field.name}`}
                          showSearch
                          optionFilterProp="label"
                          options={conversionUnits}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={10} sm={6}>
                      <Form.Item
                        name={[field.name, "factor"]}
                        label={t("productEdit.factor")}
                        rules={[{ required: true, message: t("common.required") }]}
                      >
                        <InputNumber<string> id={`sku-factor-${field.name}`} stringMode min="0" style={{ width: "100%" }} />
                      </Form.Item>
                    </Col>
                    <Col xs={10} sm={7}>
                      <Form.Item name={[field.name, "retail_price"]} label={t("productEdit.unitPrice")}>
                        <InputNumber<string> id={`sku-unit-price-${field.name}`} stringMode min="0" style={{ width: "100%" }} />
                      </Form.Item>
                    </Col>
                    <Col xs={4} sm={3}>
                      <Form.Item label=" ">
                        <Button icon={<DeleteOutlined />} aria-label={t("productEdit.remove")} onClick={() => remove(field.name)} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} style={{ marginTop: -12, marginBottom: 12 }}>
                      <UnitBarcodes
                        unit={unitLines?.[field.name]?.unit}
                        codes={barcodesOfUnit(barcodeLines, unitLines?.[field.name]?.unit)}
                        saved={savedUnits.has(unitLines?.[field.name]?.unit ?? -1)}
                        generating={generate.isPending && generate.variables === unitLines?.[field.name]?.unit}
                        onGenerate={(unit) => generate.mutate(unit)}
                        onPrint={(unit) => void printLabel(unit)}
                      />
                    </Col>
                  </Row>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({})}
                  style={{ marginBottom: 16 }}
                  data-testid="sku-add-unit"
                >
                  {t("productEdit.addUnit")}
                </Button>
              </>
            )}
          </Form.List>

          <Typography.Title level={5}>{t("productEdit.barcodes")}</Typography.Title>
          <Form.List name="barcodes">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} align="top" data-testid="sku-barcode-row">
                    <Col xs={24} sm={10}>
                      <Form.Item name={[field.name, "code"]} rules={[{ required: true, message: t("common.required") }]}>
                        <Input id={`sku-barcode-${field.name}`} maxLength={64} placeholder={t("product.barcode")} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} sm={7}>
                      <Form.Item name={[field.name, "unit"]}>
                        <Select
                          id={`sku-barcode-unit-${field.name}`}
                          aria-label={t("productEdit.barcodeUnit")}
                          options={barcodeUnits}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={8} sm={4}>
                      <Form.Item name={[field.name, "is_primary"]} valuePropName="checked">
                        <Checkbox>{t("productEdit.primary")}</Checkbox>
                      </Form.Item>
                    </Col>
                    <Col xs={4} sm={3}>
                      <Button icon={<DeleteOutlined />} aria-label={t("productEdit.remove")} onClick={() => remove(field.name)} />
                    </Col>
                  </Row>
                ))}
                <Space wrap>
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ unit: 0, is_primary: false })} data-testid="sku-add-barcode">
                    {t("productEdit.addBarcode")}
                  </Button>
                  <Button loading={generate.isPending} onClick={() => generate.mutate(null)} data-testid="sku-generate-barcode">
                    {t("productEdit.generateBarcode")}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Drawer>
  );
}

/** Under a unit conversion row: its barcodes, "generate" (an internal EAN-13 for this unit) and
 * "print label". Only for a unit already saved on the SKU (the server checks it is one). */
function UnitBarcodes({
  unit,
  codes,
  saved,
  generating,
  onGenerate,
  onPrint,
}: {
  unit: number | undefined;
  codes: string[];
  saved: boolean;
  generating: boolean;
  onGenerate: (unit: number) => void;
  onPrint: (unit: number) => void;
}) {
  const { t } = useTranslation();
  if (!unit) return null;
  const hint = saved ? undefined : t("productEdit.saveUnitFirst");
  return (
    <Space wrap size={4} data-testid="sku-unit-barcodes">
      <Typography.Text type="secondary">{t("productEdit.unitBarcodes")}:</Typography.Text>
      {codes.length ? codes.map((code) => <Tag key={code}>{code}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>}
      <Tooltip title={hint}>
        <Button
          size="small"
          icon={<BarcodeOutlined />}
          disabled={!saved}
          loading={generating}
          onClick={() => onGenerate(unit)}
          data-testid="sku-unit-generate"
        >
          {t("productEdit.generateUnitBarcode")}
        </Button>
      </Tooltip>
      <Tooltip title={hint}>
        <Button size="small" icon={<PrinterOutlined />} disabled={!saved || !codes.length} onClick={() => onPrint(unit)} data-testid="sku-unit-print">
          {t("productEdit.printLabel")}
        </Button>
      </Tooltip>
    </Space>
  );
}
