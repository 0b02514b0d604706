// Writing a purchase order (create, or edit a draft): supplier and warehouse, dates and the
// supplier's reference; lines added by scanning or searching a product — from the supplier's
// catalogue with its purchase unit, pack size and price, the supplier's VAT rate — then quantity,
// price, VAT, discount and expected date per line. Net, tax and gross are computed live as the
// server computes them (orderTotals); the server recomputes them on save. The same form revises
// (修订) an approved order: supplier and warehouse fixed, a reason required, received lines kept.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import {
  App as AntApp,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { DeleteOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { PurchaseOrderRow } from "../../api/contract";
import { useCompanyTimeZone, useWarehouseOptions } from "../../features/stock/queries";
import { todayIn } from "../../features/stock/companyTime";
import { ScanInput, type ScanResult } from "../../features/scan/ScanInput";
import { lookupBarcode } from "../../features/scan/lookup";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { isStaleVersion, quantityValues } from "../../features/drafts/draftLines";
import {
  addLine,
  hasReceived,
  lineFromCatalogue,
  linesFromOrder,
  lineWithoutCatalogue,
  orderLineIssues,
  orderLinesPayload,
  orderQuantityIssue,
  revisionLinesPayload,
  type DraftOrderLine,
} from "./orderLines";
import { lineAmounts, money, orderTotals } from "./orderTotals";
import { catalogueQuery, RATING_DAYS, useSupplierList, useSupplierOptions, useSupplierScores } from "./queries";

export const TAX_RATES = ["13", "9", "6", "0"];

interface Header {
  supplier?: number;
  warehouse?: number;
  expected_date?: dayjs.Dayjs | null;
  reference?: string;
  notes?: string;
  reason?: string; // a revision's
}

export function PurchaseOrderForm({
  doc,
  revise = false,
  onDone,
  onReload,
}: {
  doc?: PurchaseOrderRow; // a draft to edit (or an approved order to revise); none: a new order
  revise?: boolean; // revise `doc` (POST …/revise/) instead of editing a draft
  onDone?: () => void;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Header>();
  const warehouses = useWarehouseOptions();
  const supplierId = Form.useWatch("supplier", form) ?? doc?.supplier;
  const supplierOptions = useSupplierOptions(doc?.supplier);
  const suppliers = useSupplierList();
  const supplier = (suppliers.data?.results ?? []).find((s) => s.id === supplierId);
  const scores = useSupplierScores(todayIn(useCompanyTimeZone()));
  const taxIncluded = supplier?.prices_include_tax ?? doc?.prices_include_tax ?? true;
  const defaultRate = String(supplier?.tax_rate ?? 13);
  const [lines, setLines] = useState<DraftOrderLine[]>(() => (doc ? linesFromOrder(doc.lines) : []));
  const [errors, setErrors] = useState<Record<number, string[]>>({});
  const [stale, setStale] = useState(false);
  useEffect(() => {
    const first = warehouses[0];
    if (!doc && first && form.getFieldValue("warehouse") === undefined) form.setFieldValue("warehouse", first.value);
  }, [warehouses, form, doc]);
  const edit = (key: string, patch: Partial<DraftOrderLine>) =>
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...patch } : line)));

  const onScan = async (barcode: string): Promise<ScanResult> => {
    if (!supplierId) return { ok: false, text: t("purchase.chooseSupplierFirst") };
    const hit = await lookupBarcode(barcode);
    if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
    // the supplier's catalogue (fetched once, then from the cache) gives unit, pack and price
    const catalogue = await queryClient.fetchQuery(catalogueQuery(supplierId));
    const item = catalogue.results.find((row) => row.sku === hit.skuId);
    const line = item ? lineFromCatalogue(item, defaultRate) : lineWithoutCatalogue(hit, defaultRate);
    setLines((current) => addLine(current, line));
    return {
      ok: true,
      text: item ? `${hit.skuCode} ${hit.skuName}` : t("purchase.notInCatalogue", { name: `${hit.skuCode} ${hit.skuName}` }),
    };
  };

  const totals = orderTotals(lines, taxIncluded);
  const issues = lines.flatMap((line) => orderLineIssues(line).map((issue) => `${line.skuCode}: ${t(issue, quantityValues(line))}`));
  const blocked = stale || lines.length === 0 || issues.length > 0;

  const save = useMutation({
    mutationFn: async () => {
      const header = await form.validateFields();
      const body = {
        supplier: given(header.supplier), // required by the form's rules
        warehouse: given(header.warehouse),
        expected_date: header.expected_date ? header.expected_date.format("YYYY-MM-DD") : null,
        reference: header.reference ?? "",
        notes: header.notes ?? "",
        lines: orderLinesPayload(lines),
      };
      setErrors({});
      try {
        if (doc && revise) {
          return await ok(
            client.POST("/api/v1/purchase-orders/{id}/revise/", {
              params: { path: { id: doc.id } },
              body: {
                version: doc.version,
                reason: (header.reason ?? "").trim(),
                expected_date: body.expected_date,
                reference: body.reference,
                notes: body.notes,
                lines: revisionLinesPayload(lines),
              },
              headers: idempotent(),
            }),
          );
        }
        if (doc) {
          return await ok(
            client.PUT("/api/v1/purchase-orders/{id}/", {
              params: { path: { id: doc.id } },
              // the update takes no null date (it was a 400): an empty one leaves it as it is
              body: { ...body, expected_date: body.expected_date ?? undefined, version: doc.version },
            }),
          );
        }
        return await ok(client.POST("/api/v1/purchase-orders/", { body, headers: idempotent() }));
      } catch (error) {
        if (error instanceof ApiError) {
          const byLine: Record<number, string[]> = {};
          for (const [field, texts] of Object.entries(error.fields)) {
            const match = /^lines\.(\d+)(\.|$)/.exec(field);
            if (match) byLine[Number(match[1])] = [...(byLine[Number(match[1])] ?? []), ...texts];
          }
          setErrors(byLine);
        }
        throw error;
      }
    },
    onSuccess: async (order) => {
      await queryClient.invalidateQueries();
      message.success(t(revise ? "doc.done_revise" : "doc.saved"));
      if (doc) onDone?.();
      else navigate(`/purchasing/orders/${order.id}`, { replace: true });
    },
    onError: (error) => {
      if (error instanceof Error && "errorFields" in error) return;
      if (isStaleVersion(error)) {
        setStale(true);
        return;
      }
      showError(error, t, message, form);
    },
  });

  const text = (line: DraftOrderLine, field: "quantity" | "price" | "discount", width = 100) => {
    // a quantity of 0 or with too many decimals for the unit: said under the field as typed
    const issue = field === "quantity" ? orderQuantityIssue(line) : null;
    return (
      <div style={{ display: "inline-block", width, verticalAlign: "top" }}>
        <InputNumber<string>
          stringMode
          min="0"
          max={field === "discount" ? "100" : undefined}
          value={line[field] || null}
          status={issue ? "error" : undefined}
          style={{ width }}
          data-testid={`po-${field}-${line.skuCode}`}
          onChange={(value) => edit(line.key, { [field]: value ?? "" })}
        />
        {issue && (
          <Typography.Text type="danger" style={{ display: "block", fontSize: 12 }} data-testid={`po-quantity-error-${line.skuCode}`}>
            {t(issue, quantityValues(line))}
          </Typography.Text>
        )}
      </div>
    );
  };

  return (
    <div data-testid="po-form">
      {stale && onReload && <StaleVersionAlert onReload={onReload} />}
      {revise && (
        <Typography.Paragraph type="secondary" data-testid="po-revise-hint">
          {t("purchase.reviseHint")}
        </Typography.Paragraph>
      )}
      <Form<Header>
        form={form}
        layout="vertical"
        initialValues={
          doc
            ? {
                supplier: doc.supplier,
                warehouse: doc.warehouse,
                expected_date: doc.expected_date ? dayjs(doc.expected_date) : null,
                reference: doc.reference,
                notes: doc.notes,
              }
            : undefined
        }
        onValuesChange={(changed: Header) => {
          if ("supplier" in changed) setLines([]); // another supplier: other prices and units
        }}
      >
        <Row gutter={16}>
          {revise && (
            <Col xs={24}>
              <Form.Item
                name="reason"
                label={t("purchase.revisionReason")}
                rules={[{ required: true, whitespace: true, message: t("purchase.revisionReasonRequired") }]}
              >
                <Input maxLength={200} data-testid="po-revision-reason" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={8}>
            <Form.Item name="supplier" label={t("purchase.supplier")} rules={[{ required: true, message: t("purchase.supplierRequired") }]}>
              <Select<number>
                showSearch
                disabled={revise}
                optionFilterProp="label"
                options={supplierOptions}
                optionRender={(option) => (
                  <Space style={{ width: "100%", justifyContent: "space-between" }}>
                    <span>{option.label}</span>
                    {scores.has(option.value as number) ? (
                      <Tag color="blue">{t("purchase.score", { score: scores.get(option.value as number) })}</Tag>
                    ) : null}
                  </Space>
                )}
                data-testid="po-supplier"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="warehouse" label={t("doc.warehouse")} rules={[{ required: true }]}>
              <Select<number> options={warehouses} disabled={revise} data-testid="po-warehouse" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="expected_date" label={t("purchase.expectedDate")}>
              <DatePicker style={{ width: "100%" }} data-testid="po-expected" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="reference" label={t("purchase.reference")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {supplier && (
        <Typography.Paragraph type="secondary" data-testid="po-terms">
          {t(taxIncluded ? "purchase.pricesIncludeTax" : "purchase.pricesExcludeTax", { rate: defaultRate })}
          {scores.has(supplier.id) ? (
            <span data-testid="po-supplier-score">
              {" · "}
              {t("purchase.scoreOfDays", { score: scores.get(supplier.id), days: RATING_DAYS })}
            </span>
          ) : null}
        </Typography.Paragraph>
      )}
      <ScanInput onScan={onScan} disabled={!supplierId} searchable />
      <Table<DraftOrderLine>
        style={{ marginTop: 12 }}
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={lines}
        scroll={{ x: 1100 }}
        rowClassName={(_line, index) => (errors[index] ? "sl-line-error" : "")}
        columns={[
          {
            title: t("doc.sku"),
            key: "sku",
            render: (_v, line, index) => (
              <>
                <div>{`${line.skuCode} ${line.skuName}`}</div>
                {line.packSize !== "1" && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("purchase.pack", { unit: line.unitName, size: line.packSize, base: line.baseUnitName })}
                  </Typography.Text>
                )}
                {revise && hasReceived(line) && (
                  <Typography.Text type="warning" style={{ display: "block", fontSize: 12 }} data-testid={`po-line-received-${line.skuCode}`}>
                    {t("purchase.receivedOnLine", { quantity: line.received, unit: line.baseUnitName })}
                  </Typography.Text>
                )}
                {(errors[index] ?? []).map((error) => (
                  <Typography.Text key={error} type="danger" style={{ display: "block", fontSize: 12 }}>
                    {error}
                  </Typography.Text>
                ))}
              </>
            ),
          },
          { title: t("doc.quantity"), key: "quantity", width: 110, render: (_v, line) => text(line, "quantity", 96) },
          { title: t("doc.unit"), dataIndex: "unitName", width: 60 },
          { title: t("purchase.price"), key: "price", width: 120, render: (_v, line) => text(line, "price", 106) },
          {
            title: t("purchase.taxRate"),
            key: "tax",
            width: 90,
            render: (_v, line) => (
              <Select<string>
                value={line.taxRate}
                style={{ width: 76 }}
                options={TAX_RATES.map((rate) => ({ value: rate, label: `${rate}%` }))}
                onChange={(taxRate) => edit(line.key, { taxRate })}
              />
            ),
          },
          { title: t("purchase.discount"), key: "discount", width: 90, render: (_v, line) => text(line, "discount", 76) },
          {
            title: t("purchase.lineExpected"),
            key: "expected",
            width: 140,
            render: (_v, line) => (
              <DatePicker
                value={line.expectedDate ? dayjs(line.expectedDate) : null}
                onChange={(value) => edit(line.key, { expectedDate: value ? value.format("YYYY-MM-DD") : "" })}
                style={{ width: 128 }}
              />
            ),
          },
          {
            title: t("purchase.gross"),
            key: "gross",
            width: 100,
            align: "right",
            render: (_v, line) => <span data-testid={`po-line-gross-${line.skuCode}`}>{money(lineAmounts(line, taxIncluded).gross)}</span>,
          },
          {
            key: "remove",
            width: 48,
            render: (_v, line) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t("doc.remove")}
                disabled={revise && hasReceived(line)}
                title={revise && hasReceived(line) ? t("purchase.receivedLineStays") : undefined}
                onClick={() => setLines((current) => current.filter((l) => l.key !== line.key))}
              />
            ),
          },
        ]}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginTop: 12 }} data-testid="po-totals">
        <Descriptions.Item label={t("purchase.net")}>{money(totals.net)}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.tax")}>{money(totals.tax)}</Descriptions.Item>
        <Descriptions.Item label={t("purchase.gross")}>
          <strong data-testid="po-total-gross">{money(totals.gross)}</strong>
        </Descriptions.Item>
      </Descriptions>
      <Space style={{ marginTop: 12 }} wrap>
        <Button type="primary" disabled={blocked} loading={save.isPending} onClick={() => save.mutate()} data-testid="po-save">
          {t(revise ? "purchase.saveRevision" : "common.save")}
        </Button>
        {doc && onDone && <Button onClick={onDone}>{t("common.cancel")}</Button>}
        {!stale && blocked && (
          <Typography.Text type="secondary" data-testid="save-blocked">
            {lines.length === 0
              ? t("doc.noLines")
              : t("doc.cannotSave", { reasons: issues.slice(0, 3).join(t("doc.reasonSeparator")) })}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
