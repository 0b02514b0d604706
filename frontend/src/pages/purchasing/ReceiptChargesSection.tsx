// The landed cost section of the purchase receipt editor (到岸成本): charge lines (kind,
// amount net of VAT, its VAT, owed to the supplier or paid to a carrier...), how they are
// shared (by value or by quantity) and the server's preview of each line's share and landed
// unit cost, refreshed as the charges and lines change (nothing is saved by the preview).
import { Alert, Button, Checkbox, Col, Input, Radio, Row, Select, Space, Table, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { errorMessage } from "../../api/errors";
import type { AllocatedLineRow, AllocationBasis, AllocationPreview } from "../../api/contract";
import { formatQty } from "../../lib/format";
import { money } from "./orderTotals";
import { CHARGE_KIND_LABELS, CHARGE_KINDS, chargeBody, chargeIssues, newCharge, type ChargeEntry } from "./receiptCharges";

/** What the allocation preview allocates to: the schema's request without the charges. */
export type PreviewTarget = Omit<AllocationPreview, "charges" | "allocation_basis">;

export function ReceiptChargesSection({
  charges,
  basis,
  onCharges,
  onBasis,
  target,
  skuLabel,
}: {
  charges: ChargeEntry[];
  basis: AllocationBasis;
  onCharges: (next: ChargeEntry[]) => void;
  onBasis: (next: AllocationBasis) => void;
  target: PreviewTarget;
  skuLabel: (skuId: number) => string;
}) {
  const { t } = useTranslation();
  const edit = (key: number, patch: Partial<ChargeEntry>) =>
    onCharges(charges.map((charge) => (charge.key === key ? { ...charge, ...patch } : charge)));
  const valid = charges.every((charge) => chargeIssues(charge).length === 0);
  const body = { ...target, charges: chargeBody(charges), allocation_basis: basis };
  const preview = useQuery({
    queryKey: ["purchase-receipt-allocation", body],
    queryFn: () => ok(client.POST("/api/v1/purchase-receipts/allocation/", { body })),
    enabled: valid && charges.length > 0 && target.lines.length > 0,
    retry: false,
  });
  const nextKey = Math.max(0, ...charges.map((charge) => charge.key)) + 1;
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="receipt-charges">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t("landed.title")}
      </Typography.Title>
      <Typography.Text type="secondary">{t("landed.hint")}</Typography.Text>
      {charges.map((charge, index) => (
        <Row gutter={[8, 8]} key={charge.key} align="middle" data-testid={`charge-${index}`}>
          <Col xs={12} md={4}>
            <Select<string>
              value={charge.kind}
              style={{ width: "100%" }}
              options={CHARGE_KINDS.map((kind) => ({ value: kind, label: t(CHARGE_KIND_LABELS[kind]) }))}
              onChange={(kind) => edit(charge.key, { kind: kind as ChargeEntry["kind"] })}
              data-testid={`charge-kind-${index}`}
            />
          </Col>
          <Col xs={12} md={4}>
            <Input
              value={charge.amount}
              placeholder={t("landed.amount")}
              aria-label={t("landed.amount")}
              inputMode="decimal"
              onChange={(event) => edit(charge.key, { amount: event.target.value })}
              status={charge.amount && chargeIssues(charge).includes("landed.amountIssue") ? "error" : undefined}
              data-testid={`charge-amount-${index}`}
            />
          </Col>
          <Col xs={12} md={3}>
            <Input
              value={charge.taxAmount}
              placeholder={t("landed.tax")}
              aria-label={t("landed.tax")}
              inputMode="decimal"
              onChange={(event) => edit(charge.key, { taxAmount: event.target.value })}
              data-testid={`charge-tax-${index}`}
            />
          </Col>
          <Col xs={12} md={4}>
            <Checkbox
              checked={charge.payableToSupplier}
              onChange={(event) => edit(charge.key, { payableToSupplier: event.target.checked })}
              data-testid={`charge-supplier-${index}`}
            >
              {t("landed.payableToSupplier")}
            </Checkbox>
          </Col>
          <Col xs={12} md={4}>
            <Input
              value={charge.payee}
              disabled={charge.payableToSupplier}
              placeholder={t("landed.payee")}
              aria-label={t("landed.payee")}
              maxLength={100}
              onChange={(event) => edit(charge.key, { payee: event.target.value })}
              data-testid={`charge-payee-${index}`}
            />
          </Col>
          <Col xs={10} md={4}>
            <Input
              value={charge.notes}
              placeholder={t("doc.notes")}
              aria-label={t("doc.notes")}
              maxLength={200}
              onChange={(event) => edit(charge.key, { notes: event.target.value })}
            />
          </Col>
          <Col xs={2} md={1}>
            <Button
              danger
              type="text"
              icon={<DeleteOutlined />}
              aria-label={t("landed.remove")}
              onClick={() => onCharges(charges.filter((other) => other.key !== charge.key))}
              data-testid={`charge-remove-${index}`}
            />
          </Col>
          {chargeIssues(charge).length > 0 && charge.amount !== "" && (
            <Col span={24}>
              {chargeIssues(charge).map((issue) => (
                <Typography.Text key={issue} type="danger" style={{ fontSize: 12, marginRight: 8 }}>
                  {t(issue)}
                </Typography.Text>
              ))}
            </Col>
          )}
        </Row>
      ))}
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={() => onCharges([...charges, newCharge(nextKey)])} data-testid="charge-add">
          {t("landed.add")}
        </Button>
        <Typography.Text>{t("landed.basis")}</Typography.Text>
        <Radio.Group
          value={basis}
          onChange={(event) => onBasis(event.target.value as AllocationBasis)}
          optionType="button"
          options={[
            { value: "value", label: t("landed.byValue") },
            { value: "quantity", label: t("landed.byQuantity") },
          ]}
          data-testid="allocation-basis"
        />
      </Space>
      {preview.isError && <Alert type="error" showIcon message={errorMessage(preview.error, t)} data-testid="allocation-error" />}
      {preview.data && charges.length > 0 && valid && (
        <Table<AllocatedLineRow>
          size="small"
          rowKey="line_no"
          pagination={false}
          dataSource={preview.data}
          data-testid="allocation-preview"
          columns={[
            { title: "#", dataIndex: "line_no", width: 44 },
            { title: t("doc.sku"), key: "sku", render: (_v, row) => skuLabel(row.sku) },
            { title: t("landed.baseQuantity"), dataIndex: "base_quantity", align: "right", render: (v: string) => formatQty(v) },
            { title: t("landed.goodsValue"), dataIndex: "value", align: "right", render: (v: string) => money(v) },
            {
              title: t("landed.share"),
              dataIndex: "charge_amount",
              align: "right",
              render: (v: string, row) => <span data-testid={`alloc-share-${row.line_no}`}>{money(v)}</span>,
            },
            { title: t("landed.landedUnitCost"), dataIndex: "landed_unit_cost", align: "right", render: (v: string) => formatQty(v) },
          ]}
        />
      )}
    </Space>
  );
}
