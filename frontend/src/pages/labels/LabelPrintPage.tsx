// 标签打印 / Labels: pick SKUs by search or by scanning, the number of labels of each, the label
// size and whether to show the price → the PDF of labels (server-side) opens in a new tab.
import { useState } from "react";
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Col,
  Form,
  Grid,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from "antd";
import { DeleteOutlined, PlusOutlined, PrinterOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { showError } from "../../api/errors";
import { SkuPicker } from "../../components/SkuPicker";
import { ScanInput, type ScanResult } from "../../features/scan/ScanInput";
import { lookupBarcode } from "../../features/scan/lookup";
import {
  LABEL_SIZES,
  MAX_LABELS,
  fetchLabelsPdf,
  labelCount,
  openPendingTab,
  showPdf,
  type LabelSize,
} from "../../features/printing/print";
import { addLabel, labelPayload, setQuantity, type LabelRow } from "./labelItems";

export function LabelPrintPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<LabelRow[]>([]);
  const [picked, setPicked] = useState<number | undefined>();
  const [size, setSize] = useState<LabelSize>("40x30");
  const [showPrice, setShowPrice] = useState(true);
  const [busy, setBusy] = useState(false);
  const total = labelCount(rows);
  // On a phone a row is one cell (the SKU above, its count and delete below): a wide table
  // would hide the count behind a sideways scroll.
  const compact = Grid.useBreakpoint().md === false;

  const onScan = async (barcode: string): Promise<ScanResult> => {
    const hit = await lookupBarcode(barcode);
    if (!hit) return { ok: false, text: t("scan.unknown", { barcode }) };
    setRows((current) => addLabel(current, hit));
    return { ok: true, text: t("printing.added", { name: hit.skuName, unit: hit.unitName }) };
  };

  const addPicked = async () => {
    if (picked === undefined) return;
    try {
      const sku = await ok(client.GET("/api/v1/skus/{id}/", { params: { path: { id: picked } } }));
      setRows((current) =>
        addLabel(current, {
          skuId: sku.id,
          skuCode: sku.code,
          skuName: sku.name,
          unitId: null,
          unitName: sku.base_unit.name,
        }),
      );
      setPicked(undefined);
    } catch (error) {
      showError(error, t, message);
    }
  };

  const print = async () => {
    const tab = openPendingTab();
    setBusy(true);
    try {
      showPdf(await fetchLabelsPdf(labelPayload(rows, size, showPrice), i18n.language), tab);
    } catch (error) {
      tab?.close();
      showError(error, t, message);
    } finally {
      setBusy(false);
    }
  };

  const copiesCell = (row: LabelRow) => (
    <InputNumber
      min={1}
      max={MAX_LABELS}
      precision={0}
      value={row.quantity}
      aria-label={t("printing.copies")}
      data-testid={`label-copies-${row.skuCode}`}
      onChange={(value) => setRows((current) => setQuantity(current, row.key, Number(value ?? 1)))}
    />
  );
  const removeCell = (row: LabelRow) => (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      aria-label={t("printing.remove")}
      onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
    />
  );

  return (
    <Card title={t("printing.labelsTitle")}>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <ScanInput onScan={onScan} />
        </Col>
        <Col xs={24} md={12}>
          <Space wrap>
            <SkuPicker value={picked} onChange={setPicked} />
            <Button icon={<PlusOutlined />} onClick={() => void addPicked()} disabled={picked === undefined}>
              {t("printing.add")}
            </Button>
          </Space>
        </Col>
      </Row>
      <Table<LabelRow>
        style={{ marginTop: 16 }}
        rowKey="key"
        size="small"
        dataSource={rows}
        pagination={false}
        scroll={compact ? undefined : { x: 480 }}
        locale={{ emptyText: t("printing.empty") }}
        columns={
          compact
            ? [
                {
                  title: t("doc.sku"),
                  key: "line",
                  render: (_v, row) => (
                    <div data-testid={`label-row-${row.skuCode}`}>
                      <div>{`${row.skuCode} ${row.skuName}`}</div>
                      <Space size={6} wrap align="center" style={{ marginTop: 6 }}>
                        <Typography.Text type="secondary">{t("printing.copies")}</Typography.Text>
                        {copiesCell(row)}
                        <Typography.Text type="secondary">{row.unitName}</Typography.Text>
                        {removeCell(row)}
                      </Space>
                    </div>
                  ),
                },
              ]
            : [
                {
                  title: t("doc.sku"),
                  key: "sku",
                  render: (_v, row) => `${row.skuCode} ${row.skuName}`,
                },
                { title: t("doc.unit"), dataIndex: "unitName", width: 80 },
                { title: t("printing.copies"), key: "quantity", width: 130, render: (_v, row) => copiesCell(row) },
                { title: t("common.actions"), key: "actions", width: 70, render: (_v, row) => removeCell(row) },
              ]
        }
      />
      <Form layout="inline" style={{ marginTop: 16, rowGap: 12 }}>
        <Form.Item label={t("printing.sizeLabel")}>
          <Select<LabelSize>
            value={size}
            onChange={setSize}
            style={{ minWidth: 200 }}
            options={LABEL_SIZES.map((value) => ({ value, label: t(`printing.size.${value}`) }))}
          />
        </Form.Item>
        <Form.Item label={t("printing.showPrice")}>
          <Switch checked={showPrice} onChange={setShowPrice} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Typography.Text>{t("printing.total", { count: total })}</Typography.Text>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              loading={busy}
              disabled={total === 0 || total > MAX_LABELS}
              onClick={() => void print()}
            >
              {t("printing.printLabels")}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {total > MAX_LABELS && (
        <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t("printing.tooMany", { max: MAX_LABELS })} />
      )}
    </Card>
  );
}
