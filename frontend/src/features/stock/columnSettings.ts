// Which columns of a table the user has hidden, remembered per table in localStorage.

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const PREFIX = "storeledger.columns.";

function defaultStore(): KeyValueStore | null {
  return typeof localStorage === "undefined" ? null : localStorage;
}

/** The hidden column keys saved for `table`, keeping only keys the table still has. */
export function loadHiddenColumns(
  table: string,
  known: readonly string[],
  store: KeyValueStore | null = defaultStore(),
): string[] {
  if (!store) return [];
  let saved: unknown;
  try {
    saved = JSON.parse(store.getItem(PREFIX + table) ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(saved)) return [];
  return known.filter((key) => saved.includes(key));
}

export function saveHiddenColumns(
  table: string,
  hidden: readonly string[],
  store: KeyValueStore | null = defaultStore(),
): void {
  if (!store) return;
  try {
    store.setItem(PREFIX + table, JSON.stringify([...hidden]));
  } catch {
    // storage full or disabled: the setting just is not remembered
  }
}

/** Show or hide one column; at least one column always stays visible. */
export function toggleColumn(
  hidden: readonly string[],
  key: string,
  visible: boolean,
  all: readonly string[],
): string[] {
  const next = visible ? hidden.filter((k) => k !== key) : [...new Set([...hidden, key])];
  return next.length >= all.length ? [...hidden] : all.filter((k) => next.includes(k));
}
