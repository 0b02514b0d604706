// The sort state of a table column header (Ant Design's values); the API sorts the rows.
export type SortOrder = "ascend" | "descend" | null | undefined;
