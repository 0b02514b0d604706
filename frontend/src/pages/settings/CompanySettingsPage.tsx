// 系统设置 → 公司参数: the company's name, address, time zone, the stock rules every store
// follows (negative stock, the stock-count approval threshold) and the purchasing ones
// (over-receipt tolerance, price drop margin, supplier rating weights), from /api/v1/company/.
import { useEffect } from "react";
import { App as AntApp, Button, Card, Divider, Form, Input, InputNumber, Space, Spin, Switch, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, ok } from "../../api/http";
import { applyFieldErrors, showError } from "../../api/errors";
import type { Company } from "../../api/contract";
import { ME_KEY, useAuth } from "../../auth/auth";
import { LoadFailed } from "../../components/LoadFailed";

type CompanyForm = Pick<
  Company,
  | "name"
  | "address"
  | "phone"
  | "time_zone"
  | "currency"
  | "allow_negative_stock"
  | "count_approval_threshold"
  | "over_receipt_tolerance"
  | "purchase_price_margin"
  | "invoice_price_tolerance"
  | "rating_weight_on_time"
  | "rating_weight_fill_rate"
  | "rating_weight_quality"
  | "rating_weight_price"
>;

const WEIGHTS = [
  ["rating_weight_on_time", "settings.weightOnTime"],
  ["rating_weight_fill_rate", "settings.weightFillRate"],
  ["rating_weight_quality", "settings.weightQuality"],
  ["rating_weight_price", "settings.weightPrice"],
] as const;

export function CompanySettingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CompanyForm>();
  const company = useQuery({ queryKey: ["company"], queryFn: () => ok(client.GET("/api/v1/company/")) });
  useEffect(() => {
    if (company.data) form.setFieldsValue(company.data);
  }, [company.data, form]);
  const editable = can("companySettings");
  const save = useMutation({
    mutationFn: (values: CompanyForm) => ok(client.PATCH("/api/v1/company/", { body: values })),
    onSuccess: async () => {
      message.success(t("settings.saved"));
      await queryClient.invalidateQueries({ queryKey: ["company"] });
      await queryClient.invalidateQueries({ queryKey: ME_KEY }); // it carries the currency's sign
    },
    onError: (error) => {
      if (error instanceof ApiError) applyFieldErrors(form, error);
      showError(error, t, message);
    },
  });
  if (company.isError) return <LoadFailed error={company.error} />;
  if (!company.data) return <Spin style={{ display: "block", margin: 48 }} />;
  return (
    <Card title={t("settings.companyTitle")}>
      <Form<CompanyForm>
        form={form}
        layout="vertical"
        disabled={!editable}
        style={{ maxWidth: 640 }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="name" label={t("settings.companyName")} rules={[{ required: true, message: t("common.required") }]}>
          <Input data-testid="company-name" />
        </Form.Item>
        <Form.Item name="address" label={t("master.address")}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t("master.phone")}>
          <Input />
        </Form.Item>
        <Form.Item name="time_zone" label={t("settings.timeZone")} rules={[{ required: true, message: t("common.required") }]}>
          <Input data-testid="company-time-zone" />
        </Form.Item>
        <Form.Item name="currency" label={t("settings.currency")}>
          <Input maxLength={3} style={{ width: 120 }} data-testid="company-currency" />
        </Form.Item>
        <Form.Item name="allow_negative_stock" label={t("settings.allowNegative")} valuePropName="checked" extra={t("settings.allowNegativeHelp")}>
          <Switch data-testid="company-negative" />
        </Form.Item>
        <Form.Item name="count_approval_threshold" label={t("settings.countThreshold")} extra={t("settings.countThresholdHelp")}>
          <InputNumber<string> stringMode min="0" precision={2} style={{ width: 200 }} data-testid="company-threshold" />
        </Form.Item>
        <Form.Item label={t("settings.costingMethod")}>
          <Typography.Text>
            {company.data.costing_method === "moving_average" ? t("settings.movingAverage") : company.data.costing_method}
          </Typography.Text>
        </Form.Item>
        <Divider orientation="left">{t("settings.purchasingSection")}</Divider>
        <Form.Item name="over_receipt_tolerance" label={t("settings.overReceipt")} extra={t("settings.overReceiptHelp")}>
          <InputNumber<string> stringMode min="0" max="100" precision={2} style={{ width: 200 }} data-testid="company-over-receipt" />
        </Form.Item>
        <Form.Item name="purchase_price_margin" label={t("settings.priceMargin")} extra={t("settings.priceMarginHelp")}>
          <InputNumber<string> stringMode min="0" max="100" precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="invoice_price_tolerance" label={t("settings.invoiceTolerance")} extra={t("settings.invoiceToleranceHelp")}>
          <InputNumber<string> stringMode min="0" max="100" precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label={t("settings.ratingWeights")} extra={t("settings.ratingWeightsHelp")}>
          <Space wrap>
            {WEIGHTS.map(([name, label]) => (
              <Form.Item key={name} name={name} label={t(label)} style={{ marginBottom: 0 }}>
                <InputNumber<string> stringMode min="0" max="100" precision={0} style={{ width: 90 }} data-testid={`company-${name}`} />
              </Form.Item>
            ))}
          </Space>
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="company-save">
            {t("common.save")}
          </Button>
        )}
      </Form>
    </Card>
  );
}
