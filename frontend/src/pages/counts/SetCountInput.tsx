// Manual entry on a stock count line: the counted quantity in the SKU's base unit (set-count),
// as a recount when one was requested for the line.
import { useState } from "react";
import { App as AntApp, Button, InputNumber, Space } from "antd";
import { CheckOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { StockCountLineRow } from "../../api/contract";
import { setCountBody } from "../../features/drafts/draftLines";
import { normalizeDecimal } from "../../lib/decimal";

/** `countId`: the count of the line; `url`: its detail query key (refreshed after a save). */
export function SetCountInput({ countId, url, line }: { countId: number; url: string; line: StockCountLineRow }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<string | null>(
    line.counted_quantity === null ? null : normalizeDecimal(line.counted_quantity),
  );
  const save = useMutation({
    mutationFn: (body: { line: number; quantity: string }) =>
      ok(
        client.POST("/api/v1/stock-counts/{id}/set-count/", {
          params: { path: { id: countId } },
          body: { ...body, recount: line.recount_requested },
          headers: idempotent(),
        }),
      ),
    onSuccess: async () => {
      message.success(t("countEdit.setCountDone"));
      await queryClient.invalidateQueries({ queryKey: [url] });
    },
    onError: (error) => showError(error, t, message),
  });
  const submit = () => {
    const body = setCountBody(line.id, value);
    if (!body) {
      message.error(t("countEdit.invalidQuantity"));
      return;
    }
    save.mutate(body);
  };
  return (
    <Space.Compact style={{ width: "100%", minWidth: 150 }}>
      <InputNumber<string>
        stringMode
        min="0"
        value={value}
        onChange={(next) => setValue(next)}
        onPressEnter={submit}
        addonAfter={line.base_unit_name}
        aria-label={t("countEdit.setCount")}
        data-testid={`set-count-${line.sku_code}`}
        style={{ width: "100%" }}
      />
      <Button
        icon={<CheckOutlined />}
        loading={save.isPending}
        onClick={submit}
        aria-label={t("countEdit.setCount")}
        title={t("countEdit.setCount")}
        data-testid={`set-count-save-${line.sku_code}`}
      />
    </Space.Compact>
  );
}
