// Paged list state for a table: search text, filters, page and page size → a query.
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TablePaginationConfig } from "antd";
import type { TFunction } from "i18next";
import { client, ok, type Page, type Query } from "./http";
import type { paths } from "./schema";

type GetData<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { "application/json": infer T } } } };
}
  ? T
  : never;

/**
 * A path of the schema whose GET answers a page of rows ({count, next, previous, results}); a
 * path without a GET (whose GetData is never) is not one.
 */
export type ListPath = {
  [P in keyof paths]: [GetData<P>] extends [never]
    ? never
    : GetData<P> extends { count: number; results: unknown[] }
      ? P
      : never;
}[keyof paths];

/** A row of the list at `P`, as the schema declares it. */
export type ListRow<P extends ListPath> = GetData<P> extends { results: (infer R)[] } ? R : never;

/** A page of the list at `P`, with what the schema adds to it (a report's totals, ...). */
export type ListPage<P extends ListPath> = GetData<P> & Page<ListRow<P>>;

/** The list paths whose rows are (at least) `Row`: for a component shared by several lists. */
export type ListPathFor<Row> = { [P in ListPath]: ListRow<P> extends Row ? P : never }[ListPath];

/**
 * The filters of the list at `P`: its GET query parameters as the schema declares them (core/api/
 * params.py), without the paging ones (the hook sets those), so a filter the list does not have
 * fails the type check. A value has the parameter's kind (a choice is any string, as it often
 * comes from the page's URL; the server refuses an unknown one with 400); a cleared filter is
 * `undefined` or `null` (left out of the request).
 */
export type ListFilters<P extends ListPath> = {
  [K in Exclude<keyof ListQueryOf<P>, "page" | "page_size">]?: Widen<NonNullable<ListQueryOf<P>[K]>> | null;
};

type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer E)[]
        ? Widen<E> | Widen<E>[]
        : T;

type ListQueryOf<P extends ListPath> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/** The list at `url`, a path of the schema: the rows and the filters are typed from it. */
export function useList<P extends ListPath>(url: P, filters: ListFilters<P> = {}, enabled = true) {
  return usePages<ListPage<P>, ListRow<P>>(url, filters as Query, enabled);
}

/**
 * The list at `url` for a component shared by several lists (document lists, master data): `url`
 * must be a list path whose rows are `Row`, so the component's columns fit every list it shows.
 */
export function useListOf<Row>(url: ListPathFor<Row>, filters: Query = {}, enabled = true) {
  return usePages<Page<Row>, Row>(url, filters, enabled);
}

/** Every row (up to 500) of a list whose rows are `Row`: the options of a choice. */
export function fetchAllOf<Row>(url: ListPathFor<Row>, query: Query = {}): Promise<Page<Row>> {
  return fetchPage<Page<Row>>(url, { ...query, page_size: 500 });
}

/**
 * A page of the list at `url` through the typed client (the path and the query are checked
 * against the schema's list paths). The hooks' path is a type parameter (`P`, or the paths whose
 * rows are `Row`), for which TypeScript cannot resolve the client's answer type; the caller names
 * the page type its path's type already guarantees (`ListPage<P>`, `Page<Row>`): the one
 * narrowing of an answer in the list hooks.
 */
async function fetchPage<Data>(url: ListPath, query: Query): Promise<Data> {
  const page: unknown = await ok(client.GET(url, { params: { query } }));
  return page as Data;
}

function usePages<Data extends Page<Row>, Row>(url: ListPath, filters: Query, enabled: boolean) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const query = useQuery({
    queryKey: [url, filters, page, pageSize],
    queryFn: () => fetchPage<Data>(url, { ...filters, page, page_size: pageSize }),
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
