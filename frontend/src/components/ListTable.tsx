// The shared list pattern of every list page:
// - a failed load is an error with a retry button, never the empty "no data" picture (a keeper
//   would conclude the stock or the documents are gone); a failed refresh keeps the rows shown
//   under a warning with retry;
// - a skeleton while the first page loads (not "no data" under a spinner);
// - below 576 px (phones) the rows are cards: the first column is the card's title, the others
//   label: value lines, so nothing is cut off or scrolls sideways.
import type { ReactNode } from "react";
import { Alert, Button, Card, Grid, List, Result, Skeleton, Table, type TablePaginationConfig, type TableProps } from "antd";
import type { ColumnType } from "antd/es/table";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useAuth } from "../auth/auth";
import { withoutCosts } from "../auth/access";

/** What a list's query looks like (TanStack Query's result, as returned by useList). */
export interface ListQuery {
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** A load error in place of a list, with a retry button. */
export function ListError({ error, onRetry }: { error: unknown; onRetry: () => unknown }) {
  const { t } = useTranslation();
  return (
    <div data-testid="list-error">
      <Result
        status="error"
        title={t("pageState.loadFailed")}
        subTitle={errorMessage(error, t)}
        extra={
          <Button type="primary" icon={<ReloadOutlined />} onClick={() => void onRetry()} data-testid="list-retry">
            {t("pageState.retry")}
          </Button>
        }
      />
    </div>
  );
}

/** The list's state around its rows: the error (with retry) when nothing could be loaded, a
 *  warning above stale rows when a refresh failed, else `children`. */
export function ListState({ query, hasRows, children }: { query: ListQuery; hasRows: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  if (query.isError && !hasRows) return <ListError error={query.error} onRetry={query.refetch} />;
  return (
    <>
      {query.isError && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={`${t("pageState.refreshFailed")} ${errorMessage(query.error, t)}`}
          action={
            <Button size="small" onClick={() => void query.refetch()} data-testid="list-retry">
              {t("pageState.retry")}
            </Button>
          }
          data-testid="list-stale"
        />
      )}
      {children}
    </>
  );
}

/** The placeholder of a list whose first page is loading. */
export function ListSkeleton() {
  return (
    <div data-testid="list-skeleton">
      <Skeleton active paragraph={{ rows: 5 }} />
    </div>
  );
}

/** Table props for the list's loading state: a skeleton while the first page loads, the
 *  spinner only over rows already shown. */
export function listLoading(query: ListQuery): Pick<TableProps<object>, "loading" | "locale"> {
  return {
    loading: query.isFetching && !query.isPending,
    locale: query.isPending ? { emptyText: <ListSkeleton /> } : undefined,
  };
}

function cellOf<T>(column: ColumnType<T>, row: T, index: number): ReactNode {
  const dataIndex = column.dataIndex;
  const value =
    typeof dataIndex === "string" || typeof dataIndex === "number"
      ? (row as Record<string | number, unknown>)[dataIndex]
      : undefined;
  if (column.render) {
    const rendered = column.render(value, row, index);
    // a render may return cell props ({ children, props }) rather than a node
    if (rendered && typeof rendered === "object" && "children" in rendered && !("$$typeof" in rendered)) {
      return (rendered as { children: ReactNode }).children;
    }
    return rendered as ReactNode;
  }
  return value === null || value === undefined ? "" : String(value as string | number);
}

/** The rows as cards (phones). */
function ListCards<T extends object>({
  rows,
  columns,
  rowKey,
  pagination,
  cardTitle,
  rowClassName,
  emptyText,
}: {
  rowClassName?: (row: T, index: number) => string;
  emptyText?: ReactNode;
  rows: readonly T[];
  columns: ColumnType<T>[];
  rowKey: (row: T) => string | number;
  pagination: TablePaginationConfig | false | undefined;
  cardTitle?: (row: T) => ReactNode;
}) {
  const [first, ...rest] = columns;
  const body = cardTitle ? columns : rest;
  return (
    <List<T>
      dataSource={rows as T[]}
      rowKey={rowKey}
      data-testid="list-cards"
      locale={emptyText ? { emptyText } : undefined}
      pagination={
        pagination
          ? {
              current: pagination.current,
              pageSize: pagination.pageSize,
              total: pagination.total,
              onChange: pagination.onChange,
              size: "small",
              align: "end",
            }
          : false
      }
      renderItem={(row, index) => (
        <List.Item style={{ padding: "4px 0", border: "none" }}>
          <Card
            size="small"
            className={["sl-list-card", rowClassName?.(row, index)].filter(Boolean).join(" ")}
            data-testid="list-card"
            style={{ width: "100%" }}
            title={<span style={{ whiteSpace: "normal" }}>{cardTitle ? cardTitle(row) : first ? cellOf(first, row, index) : null}</span>}
          >
            {body.map((column, i) => {
              const value = cellOf(column, row, index);
              if (value === "" || value === null || value === undefined) return null;
              return (
                <div key={String(column.key ?? column.dataIndex ?? i)} style={{ display: "flex", gap: 8, lineHeight: "24px" }}>
                  <span style={{ color: "rgba(0,0,0,0.45)", flex: "0 0 auto", minWidth: 72 }}>
                    {typeof column.title === "function" ? null : column.title}
                  </span>
                  <span style={{ flex: 1, minWidth: 0, textAlign: "right", overflowWrap: "anywhere" }}>{value}</span>
                </div>
              );
            })}
          </Card>
        </List.Item>
      )}
    />
  );
}

export interface ListSource<T> {
  query: ListQuery;
  rows: T[];
}

/**
 * A list page's table with the shared pattern (error with retry, skeleton, phone cards).
 * `list` is useList's result, or any query with its rows; `pagination` as for Table.
 */
export function ListTable<T extends object>({
  list,
  cardTitle,
  phoneCards = true,
  columns: allColumns = [],
  rowKey = "id",
  pagination,
  testId,
  locale,
  ...props
}: Omit<TableProps<T>, "dataSource" | "loading" | "rowKey"> & {
  list: ListSource<T>;
  rowKey?: string | ((row: T) => string | number);
  /** the card's title on a phone (default: the first column) */
  cardTitle?: (row: T) => ReactNode;
  phoneCards?: boolean;
  testId?: string;
}) {
  const phone = Grid.useBreakpoint().sm === false;
  // cost, value and purchase-price columns only for users who may see costs (auth/access.ts)
  const columns = withoutCosts(allColumns as ColumnType<T>[], useAuth().can("costs"));
  const keyOf = (row: T): string | number =>
    typeof rowKey === "function" ? rowKey(row) : ((row as Record<string, unknown>)[rowKey] as string | number);
  const leafColumns = columns as ColumnType<T>[];
  return (
    <div data-testid={testId}>
      <ListState query={list.query} hasRows={list.rows.length > 0}>
        {phone && phoneCards ? (
          list.query.isPending ? (
            <ListSkeleton />
          ) : (
            <ListCards<T>
              rows={list.rows}
              columns={leafColumns}
              rowKey={keyOf}
              pagination={pagination}
              cardTitle={cardTitle}
              emptyText={locale?.emptyText as ReactNode}
              rowClassName={typeof props.rowClassName === "function" ? (row, index) => (props.rowClassName as (r: T, i: number, indent: number) => string)(row, index, 0) : undefined}
            />
          )
        ) : (
          <Table<T>
            {...props}
            {...(listLoading(list.query) as Pick<TableProps<T>, "loading" | "locale">)}
            // the page's own empty text ("nothing waiting for you") once the first page is in
            {...(list.query.isPending || !locale ? {} : { locale })}
            rowKey={rowKey as TableProps<T>["rowKey"]}
            columns={columns}
            dataSource={list.rows}
            pagination={pagination}
          />
        )}
      </ListState>
    </div>
  );
}
