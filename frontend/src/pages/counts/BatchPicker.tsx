// Scanning a batch-tracked SKU with several batches in the count: the keeper picks the batch in
// hand (batch number and expiry, as printed on the goods), or types a batch number found on the
// shelf that is not in the book; the scan is then counted on that batch.
import { useState, type HTMLAttributes } from "react";
import { Button, Input, Modal, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { StockCountLineRow } from "../../api/contract";
import { normalizeDecimal } from "../../lib/decimal";

export interface BatchChoice {
  batch?: number;
  batch_no?: string;
}

export function BatchPicker({
  sku,
  lines,
  hidden,
  onPick,
  onCancel,
}: {
  sku: string;
  /** the count's lines of this SKU, one per batch */
  lines: StockCountLineRow[];
  /** blind count: no book quantity */
  hidden: boolean;
  onPick: (choice: BatchChoice) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [other, setOther] = useState("");
  const name = lines[0] ? `${lines[0].sku_code} ${lines[0].sku_name}` : sku;
  const pickOther = () => {
    const batchNo = other.trim();
    if (batchNo) onPick({ batch_no: batchNo });
  };
  return (
    <Modal
      open
      title={t("countBatch.title", { sku: name })}
      onCancel={onCancel}
      footer={<Button onClick={onCancel}>{t("common.cancel")}</Button>}
    >
      <div data-testid="batch-picker">
        <Typography.Paragraph type="secondary">{t("countBatch.hint")}</Typography.Paragraph>
        <Table<StockCountLineRow>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={lines}
          onRow={(line) =>
            ({
              onClick: () => line.batch && onPick({ batch: line.batch }),
              style: { cursor: "pointer" },
              "data-testid": `batch-pick-${line.batch_no}`,
            }) as HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: t("lines.batchNo"), dataIndex: "batch_no", render: (value: string) => value || "—" },
            { title: t("lines.expiryDate"), dataIndex: "expiry_date", render: (value: string | null) => value ?? "—" },
            ...(hidden
              ? []
              : [
                  {
                    title: t("count.book"),
                    key: "book",
                    align: "right" as const,
                    render: (_v: unknown, line: StockCountLineRow) => normalizeDecimal(line.book_quantity ?? "0"),
                  },
                ]),
            {
              title: t("count.counted"),
              key: "counted",
              align: "right" as const,
              render: (_v: unknown, line: StockCountLineRow) =>
                line.counted_quantity === null ? t("count.notCounted") : normalizeDecimal(line.counted_quantity),
            },
          ]}
        />
        <Space.Compact style={{ width: "100%", marginTop: 12 }}>
          <Input
            value={other}
            onChange={(event) => setOther(event.target.value)}
            onPressEnter={pickOther}
            placeholder={t("countBatch.other")}
            aria-label={t("countBatch.other")}
            data-testid="batch-other"
          />
          <Button type="primary" disabled={!other.trim()} onClick={pickOther} data-testid="batch-other-ok">
            {t("countBatch.count")}
          </Button>
        </Space.Compact>
      </div>
    </Modal>
  );
}
