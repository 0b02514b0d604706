// The header of a stock count: what it counts (warehouse, categories, locations), blind mode,
// the approval threshold and notes; a draft's header can be edited until counting starts
// (saved with the count's version: 409 stale_version → reload).
import { useMemo, useState } from "react";
import { App as AntApp, Button, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, TreeSelect, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, ok } from "../../api/http";
import { showError } from "../../api/errors";
import type { StockCountRow } from "../../api/contract";
import { StatusTag } from "../../features/documents/StatusTag";
import { StaleVersionAlert } from "../../features/drafts/StaleVersionAlert";
import { isStaleVersion } from "../../features/drafts/draftLines";
import { useCategoryTree } from "../../features/stock/queries";
import { formatMoney } from "../../lib/format";
import { headerPayload, headerValues, titlesOf, treeTitles, type CountHeaderValues } from "./countHeader";

/** The locations of a warehouse as select options and titles. */
function useLocationOptions(warehouseId: number) {
  const locations = useQuery({
    queryKey: ["locations", "warehouse", warehouseId],
    queryFn: () =>
      ok(client.GET("/api/v1/locations/", { params: { query: { warehouse: warehouseId, page_size: 500 } } })),
    staleTime: 60_000,
  });
  return useMemo(() => {
    const options = (locations.data?.results ?? []).map((l) => ({ value: l.id, label: `${l.code} ${l.name ?? ""}`.trim() }));
    return { options, titles: new Map(options.map((o) => [o.value, o.label])) };
  }, [locations.data]);
}

function ScopeTags({ ids, titles, all }: { ids: readonly number[]; titles: ReadonlyMap<number, string>; all: string }) {
  if (ids.length === 0) return <Typography.Text type="secondary">{all}</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {titlesOf(ids, titles).map((title) => (
        <Tag key={title}>{title}</Tag>
      ))}
    </Space>
  );
}

/** `status` false: the status is shown elsewhere (the folded header's title on a phone). */
export function CountHeaderView({ count, status = true }: { count: StockCountRow; status?: boolean }) {
  const { t } = useTranslation();
  const categoryTree = useCategoryTree();
  const categoryTitles = useMemo(() => treeTitles(categoryTree), [categoryTree]);
  const locations = useLocationOptions(count.warehouse);
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="count-header">
      <Descriptions.Item label={t("doc.number")}>{count.number}</Descriptions.Item>
      {status && (
        <Descriptions.Item label={t("doc.status")}>
          <StatusTag status={count.status} />
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t("doc.warehouse")}>{count.warehouse_name}</Descriptions.Item>
      <Descriptions.Item label={t("countHeader.categories")}>
        <span data-testid="count-categories">
          <ScopeTags ids={count.categories} titles={categoryTitles} all={t("countHeader.allCategories")} />
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t("countHeader.locations")}>
        <span data-testid="count-locations">
          <ScopeTags ids={count.locations} titles={locations.titles} all={t("countHeader.allLocations")} />
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t("countHeader.blind")}>
        <span data-testid="count-blind">{count.blind ? t("common.yes") : t("common.no")}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("countHeader.threshold")}>
        <span data-testid="count-threshold">
          {count.approval_threshold === null ? t("countHeader.companyThreshold") : formatMoney(count.approval_threshold)}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t("doc.notes")} span={2}>
        <span data-testid="count-notes" className="sl-notes">{count.notes}</span>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function CountHeaderForm({
  count,
  url,
  onDone,
  onReload,
}: {
  count: StockCountRow;
  url: string; // the count's URL, ending with "/"
  onDone: () => void; // saved or cancelled
  onReload: () => void; // fetch the latest version and edit it again
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CountHeaderValues>();
  const categoryTree = useCategoryTree();
  const locations = useLocationOptions(count.warehouse);
  const [stale, setStale] = useState(false);

  const save = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return ok(
        client.PATCH("/api/v1/stock-counts/{id}/", {
          params: { path: { id: count.id } },
          body: headerPayload(values, count.version),
        }),
      );
    },
    onSuccess: async () => {
      message.success(t("draft.saved"));
      await queryClient.invalidateQueries({ queryKey: [url] });
      onDone();
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

  return (
    <div data-testid="count-header-editor">
      {stale && <StaleVersionAlert onReload={onReload} />}
      <Typography.Paragraph type="secondary">{t("countHeader.editHint")}</Typography.Paragraph>
      <Form<CountHeaderValues> form={form} layout="vertical" initialValues={headerValues(count)}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label={t("doc.warehouse")}>
              <Input value={`${count.warehouse_code} ${count.warehouse_name}`} disabled />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="categories" label={t("countHeader.categories")}>
              <TreeSelect
                multiple
                allowClear
                treeData={categoryTree}
                treeNodeFilterProp="title"
                placeholder={t("countHeader.allCategories")}
                data-testid="count-edit-categories"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="locations" label={t("countHeader.locations")}>
              <Select
                mode="multiple"
                allowClear
                optionFilterProp="label"
                options={locations.options}
                placeholder={t("countHeader.allLocations")}
                data-testid="count-edit-locations"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="approval_threshold" label={t("countHeader.threshold")} extra={t("countHeader.thresholdHelp")}>
              <InputNumber<string>
                stringMode
                min="0"
                precision={2}
                style={{ width: "100%" }}
                placeholder={t("countHeader.companyThreshold")}
                data-testid="count-edit-threshold"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="notes" label={t("doc.notes")}>
              <Input maxLength={500} data-testid="count-edit-notes" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="blind" valuePropName="checked" label={t("count.blind")}>
              <Switch data-testid="count-edit-blind" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Space wrap>
        <Button type="primary" disabled={stale} loading={save.isPending} onClick={() => save.mutate()} data-testid="count-header-save">
          {t("common.save")}
        </Button>
        <Button onClick={onDone} data-testid="count-header-cancel">
          {t("common.cancel")}
        </Button>
      </Space>
    </div>
  );
}
