// The batch and bin-location fields of one draft line (shown in the line's expanded row):
// an inbound line of a batch-tracked SKU names its batch by number (new: with its dates), an
// outbound one may pick a batch of the warehouse (empty: first-expiry-first-out by the server).
import { AutoComplete, Col, DatePicker, Form, Row, Select, Tag } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { formatQty } from "../../lib/format";
import type { ScanLine } from "../scan/scanLines";
import { batchChoices, isInbound, lineIssues, type LineOptions } from "./draftLines";
import { useSkuBatches, useSkuShelfLife } from "./lineQueries";

export interface LocationOption {
  value: number;
  label: string;
}

type Patch = Partial<Omit<ScanLine, "key">>;

function DateField({
  label,
  value,
  disabled,
  testId,
  onChange,
}: {
  label: string;
  value: string | null | undefined;
  disabled: boolean;
  testId: string;
  onChange: (value: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} style={{ marginBottom: 0 }}>
      <div data-testid={testId}>
        <DatePicker
          value={value ? dayjs(value) : null}
          disabled={disabled}
          format="YYYY-MM-DD"
          placeholder={t("lines.chooseDate")}
          style={{ width: "100%" }}
          onChange={(date) => onChange(date ? date.format("YYYY-MM-DD") : null)}
        />
      </div>
    </Form.Item>
  );
}

function InboundBatch({ line, today, onChange }: { line: ScanLine; today: string; onChange: (patch: Patch) => void }) {
  const { t } = useTranslation();
  const batches = useSkuBatches(line.skuId, undefined);
  const shelfLife = useSkuShelfLife(line.skuId);
  const choices = batchChoices(batches.data ?? [], { ...line, batch: null }, today);
  const existing = choices.find((c) => c.batchNo === (line.batchNo ?? "").trim());
  const issues = lineIssues(line, "in");
  const missing = issues.includes("lines.batchRequired");
  const datesWrong = issues.includes("lines.expiryBeforeProduction");
  return (
    <>
      <Col xs={24} md={6}>
        <Form.Item
          label={t("lines.batchNo")}
          required
          // a reminder, not an error, while the keeper is still scanning
          validateStatus={missing ? "warning" : undefined}
          help={missing ? t("lines.batchRequired") : existing ? t("lines.existingBatch") : undefined}
          style={{ marginBottom: 0 }}
        >
          <AutoComplete
            value={line.batchNo ?? ""}
            placeholder={t("lines.batchNoPlaceholder")}
            data-testid={`batch-no-${line.skuCode}`}
            style={{ width: "100%" }}
            options={choices.map((c) => ({
              value: c.batchNo,
              label: `${c.batchNo}${c.expiryDate ? ` · ${t("lines.expires", { date: c.expiryDate })}` : ""}`,
            }))}
            filterOption={(input, option) => String(option?.value ?? "").toLowerCase().includes(input.toLowerCase())}
            onChange={(value: string) => onChange({ batchNo: value })}
            onSelect={(value: string) => {
              const choice = choices.find((c) => c.batchNo === value);
              onChange({ batchNo: value, productionDate: choice?.productionDate, expiryDate: choice?.expiryDate });
            }}
          />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <DateField
          label={t("lines.productionDate")}
          value={line.productionDate}
          disabled={existing !== undefined}
          testId={`production-${line.skuCode}`}
          onChange={(productionDate) =>
            onChange({
              productionDate,
              // expiry = production date + the product's shelf life
              ...(productionDate && shelfLife
                ? { expiryDate: dayjs(productionDate).add(shelfLife, "day").format("YYYY-MM-DD") }
                : {}),
              // no batch number yet: the production date is the usual one (20261201)
              ...(productionDate && !(line.batchNo ?? "").trim() ? { batchNo: productionDate.replace(/-/g, "") } : {}),
            })
          }
        />
      </Col>
      <Col xs={12} md={6}>
        <DateField
          label={t("lines.expiryDate")}
          value={line.expiryDate}
          disabled={existing !== undefined}
          testId={`expiry-${line.skuCode}`}
          onChange={(expiryDate) => onChange({ expiryDate })}
        />
        {datesWrong && <div className="ant-form-item-explain-error">{t("lines.expiryBeforeProduction")}</div>}
      </Col>
    </>
  );
}

function OutboundBatch({
  line,
  warehouseId,
  today,
  onChange,
}: {
  line: ScanLine;
  warehouseId: number | undefined;
  today: string;
  onChange: (patch: Patch) => void;
}) {
  const { t } = useTranslation();
  const batches = useSkuBatches(line.skuId, warehouseId, warehouseId !== undefined);
  const choices = batchChoices(batches.data ?? [], line, today);
  return (
    <Col xs={24} md={12}>
      <Form.Item label={t("lines.batch")} help={t("lines.fefoHint")} style={{ marginBottom: 0 }}>
        <Select<number>
          allowClear
          value={line.batch ?? undefined}
          placeholder={t("lines.fefo")}
          loading={batches.isFetching}
          data-testid={`batch-${line.skuCode}`}
          popupMatchSelectWidth={false}
          options={choices.map((c) => ({
            value: c.batch,
            label: (
              <span>
                <strong>{c.batchNo}</strong>
                {c.expiryDate && ` · ${t("lines.expires", { date: c.expiryDate })}`}
                {` · ${t("lines.onHand", { quantity: formatQty(c.onHand) })}`}
                {c.expired && (
                  <Tag color="red" style={{ marginLeft: 6 }}>
                    {t("lines.expired")}
                  </Tag>
                )}
              </span>
            ),
          }))}
          onChange={(value: number | undefined) => {
            const choice = choices.find((c) => c.batch === value);
            onChange({ batch: choice?.batch ?? null, batchNo: choice?.batchNo ?? "", expiryDate: choice?.expiryDate ?? null });
          }}
        />
      </Form.Item>
    </Col>
  );
}

export function LineDetails({
  line,
  options,
  warehouseId,
  locations,
  today,
  onChange,
}: {
  line: ScanLine;
  options: LineOptions;
  warehouseId: number | undefined;
  locations: LocationOption[];
  today: string;
  onChange: (patch: Patch) => void;
}) {
  const { t } = useTranslation();
  const inbound = isInbound(line, options.direction);
  return (
    <div
      // stays in view while the lines table scrolls sideways on a phone
      style={{ position: "sticky", left: 0, maxWidth: "calc(100vw - 72px)" }}
      data-testid={`line-details-${line.skuCode}`}
    >
      <Form layout="vertical" component={false}>
        <Row gutter={[12, 8]}>
          {line.tracked &&
            (inbound ? (
              <InboundBatch line={line} today={today} onChange={onChange} />
            ) : (
              <OutboundBatch line={line} warehouseId={warehouseId} today={today} onChange={onChange} />
            ))}
          {options.locations !== false && (
            <Col xs={24} md={6}>
              <Form.Item label={t("lines.location")} style={{ marginBottom: 0 }}>
                <Select<number>
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  value={line.location ?? undefined}
                  placeholder={t("lines.noLocation")}
                  data-testid={`location-${line.skuCode}`}
                  options={locations}
                  onChange={(value: number | undefined) => onChange({ location: value ?? null })}
                />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </div>
  );
}
