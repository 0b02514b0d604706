// The draft form of a transfer: source and destination warehouses and notes, then the lines
// (shipped from the source: a batch may be picked, none means first-expiry-first-out, and the
// bin of the source they are picked from); for a new transfer (no `doc`) or a saved draft.
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { Col, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import type { TransferRow } from "../../api/contract";
import { client, ok } from "../../api/http";
import { DraftForm, type DraftInitial } from "../../features/drafts/DraftForm";
import type { LineOptions } from "../../features/drafts/draftLines";

const API = "/api/v1/transfers/" as const;
const PATH = "/inventory/transfers";
// a line's bin is the one of the source it is picked from (the receipt names the destination's)
const LINES: LineOptions = { direction: "out", locationField: "from_location" };

export function TransferForm({
  doc,
  onDone = () => undefined,
  onReload = () => undefined,
}: {
  doc?: TransferRow;
  onDone?: () => void;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  // the destination may be any active warehouse of the company (another store, the central
  // warehouse), not only those of the user's stores
  const destinations = useQuery({
    queryKey: [`${API}destinations/`],
    queryFn: () => ok(client.GET("/api/v1/transfers/destinations/")),
    staleTime: 60_000,
  });
  const destinationOptions = useMemo(
    () =>
      (destinations.data ?? []).map((w) => ({
        value: w.id,
        label: `${w.code} ${w.name}${w.store_name && !w.name.includes(w.store_name) ? ` · ${w.store_name}` : ""}`,
      })),
    [destinations.data],
  );
  const initial = useMemo(
    (): DraftInitial<typeof API> | undefined =>
      doc && {
        header: { from_warehouse: doc.from_warehouse, to_warehouse: doc.to_warehouse, notes: doc.notes },
        lines: doc.lines.map((line) => ({ ...line, location: line.from_location })),
      },
    [doc],
  );
  return (
    <DraftForm
      api={API}
      warehouseField="from_warehouse"
      lineOptions={LINES}
      initial={initial}
      target={
        doc
          ? { mode: "edit", id: doc.id, version: doc.version, onDone, onReload }
          : { mode: "create", path: PATH, post: false, saveTestId: "transfer-save" }
      }
      fields={(warehouses, Item) => (
        <>
          <Col xs={24} md={8}>
            <Item
              name="from_warehouse"
              label={t("transfer.fromWarehouse")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <Select id="transfer-from" options={warehouses} />
            </Item>
          </Col>
          <Col xs={24} md={8}>
            <Item
              name="to_warehouse"
              label={t("transfer.toWarehouse")}
              dependencies={["from_warehouse"]}
              rules={[
                { required: true, message: t("common.required") },
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | undefined) =>
                    value === undefined || value !== getFieldValue("from_warehouse")
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("transfer.sameWarehouse"))),
                }),
              ]}
            >
              <Select
                id="transfer-to"
                showSearch
                optionFilterProp="label"
                loading={destinations.isLoading}
                options={destinationOptions}
              />
            </Item>
          </Col>
          <Col xs={24} md={8}>
            <Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} />
            </Item>
          </Col>
        </>
      )}
    />
  );
}
