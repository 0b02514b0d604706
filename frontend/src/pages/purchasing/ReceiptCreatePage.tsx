// New purchase receipt without an order (goods a supplier delivers unordered, e.g. a market
// stall): supplier, warehouse and delivery note, lines added by scan or search — unit as scanned,
// accepted quantity, net price per unit (empty: the catalogue's), batch and dates for
// batch-tracked SKUs, a rejected quantity with its reason; saved as a draft or saved and posted.
import { useState } from "react";
import { useNavigate } from "react-router";
import { App as AntApp, Button, Card, Form, Input, Select, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, client, given, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";
import { useAuth } from "../../auth/auth";
import { hasPermission } from "../../auth/access";
import { lineErrors } from "../../features/drafts/draftLines";
import { ScanLinesEditor, useScanLines } from "../../features/scan/ScanLinesEditor";
import { useWarehouseOptions } from "../../features/stock/queries";
import { useSupplierOptions } from "./queries";
import { RECEIPT_LINE_OPTIONS, receiptLinesBody } from "./receiptLines";

export function ReceiptCreatePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const suppliers = useSupplierOptions();
  const warehouses = useWarehouseOptions();
  const [supplier, setSupplier] = useState<number>();
  const [warehouse, setWarehouse] = useState<number>();
  const [reference, setReference] = useState("");
  const scan = useScanLines(RECEIPT_LINE_OPTIONS);
  const save = useMutation({
    mutationFn: (post: boolean) =>
      ok(
        client.POST("/api/v1/purchase-receipts/", {
          headers: idempotent(),
          body: {
            supplier: given(supplier),
            warehouse: given(warehouse),
            reference,
            post,
            lines: receiptLinesBody(scan.lines),
          },
        }),
      ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries();
      message.success(t(saved.status === "posted" ? "doc.posted" : "doc.saved"));
      navigate(`/purchasing/receipts/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError) scan.setErrors(lineErrors(error.fields, scan.lines));
      showError(error, t, message);
    },
  });
  const ready = supplier !== undefined && warehouse !== undefined && scan.valid;
  return (
    <Card title={t("receiptLines.create")}>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t("purchase.supplier")} required>
          <Select<number>
            showSearch
            optionFilterProp="label"
            style={{ width: 260 }}
            value={supplier}
            onChange={setSupplier}
            options={suppliers}
            data-testid="receipt-supplier"
          />
        </Form.Item>
        <Form.Item label={t("doc.warehouse")} required>
          <Select<number>
            style={{ width: 200 }}
            value={warehouse}
            onChange={setWarehouse}
            options={warehouses}
            data-testid="receipt-warehouse"
          />
        </Form.Item>
        <Form.Item label={t("purchase.deliveryNote")}>
          <Input value={reference} maxLength={100} onChange={(event) => setReference(event.target.value)} data-testid="recv-reference" />
        </Form.Item>
      </Form>
      <ScanLinesEditor scan={scan} warehouseId={warehouse} />
      <Space style={{ marginTop: 16 }} wrap>
        <Button disabled={!ready} loading={save.isPending && save.variables === false} onClick={() => save.mutate(false)} data-testid="receipt-save">
          {t("doc.saveDraft")}
        </Button>
        {hasPermission(me, "purchasing.post_purchasereceipt") && (
          <Button
            type="primary"
            disabled={!ready}
            loading={save.isPending && save.variables === true}
            onClick={() => save.mutate(true)}
            data-testid="receipt-save-post"
          >
            {t("doc.saveAndPost")}
          </Button>
        )}
      </Space>
    </Card>
  );
}
