// Paged list state for a table: search text, filters, page and page size → a query.
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TablePaginationConfig } from "antd";
import type { TFunction } from "i18next";
import { request, type Page, type Query } from "./http";

export function useList<T>(url: string, filters: Query = {}, enabled = true) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const query = useQuery({
    queryKey: [url, filters, page, pageSize],
    queryFn: () =>
      request<Page<T>>("GET", url, { query: { ...filters, page, page_size: pageSize } }),
    placeholderData: keepPreviousData,
    enabled,
  });
  const pagination = (t: TFunction): TablePaginationConfig => ({
    current: page,
    pageSize,
    total: query.data?.count ?? 0,
    showSizeChanger: true,
    showTotal: (count) => t("common.total", { count }),
    onChange: (nextPage, nextSize) => {
      setPage(nextSize === pageSize ? nextPage : 1);
      setPageSize(nextSize);
    },
  });
  // the same pages for a card list (phones): small, right-aligned
  const listPagination = (t: TFunction) => {
    const { current, pageSize: size, total, onChange } = pagination(t);
    return { current, pageSize: size, total, onChange, size: "small" as const, align: "end" as const };
  };
  return { query, rows: query.data?.results ?? [], pagination, listPagination, resetPage: () => setPage(1) };
}
