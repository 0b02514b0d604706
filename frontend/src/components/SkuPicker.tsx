// A SKU select that searches the API (code, name, barcode, pinyin initials) as the user types.
import { useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, given, ok } from "../api/http";

export function SkuPicker({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const skus = useQuery({
    queryKey: ["/api/v1/skus/", "picker", search],
    queryFn: () =>
      ok(client.GET("/api/v1/skus/", { params: { query: { search, page_size: 20 } } })),
  });
  const selected = useQuery({
    queryKey: ["/api/v1/skus/", value],
    queryFn: () => ok(client.GET("/api/v1/skus/{id}/", { params: { path: { id: given(value) } } })),
    enabled: value !== undefined,
  });
  const options = [...(skus.data?.results ?? [])];
  if (selected.data && !options.some((s) => s.id === selected.data.id)) options.unshift(selected.data);
  return (
    <Select<number>
      allowClear
      showSearch
      filterOption={false}
      placeholder={t("stock.chooseSku")}
      style={{ minWidth: 240 }}
      value={value}
      onSearch={setSearch}
      onChange={(next) => onChange(next ?? undefined)}
      loading={skus.isFetching}
      options={options.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
    />
  );
}
