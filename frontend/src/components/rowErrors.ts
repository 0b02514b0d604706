// The per-row errors of a failed xlsx/csv import, flattened for a table.
export interface RowError {
  key: string;
  row: number;
  code: string;
  field: string;
  messages: string;
}

/** The per-row errors of a failed import ({details: {rows: [{row, code, fields}]}}) as table rows. */
export function rowErrors(details: Record<string, unknown>): RowError[] {
  const rows = Array.isArray(details.rows) ? (details.rows as unknown[]) : [];
  const out: RowError[] = [];
  for (const item of rows) {
    if (typeof item !== "object" || item === null) continue;
    const { row, code, fields } = item as { row?: unknown; code?: unknown; fields?: unknown };
    if (typeof row !== "number" || typeof fields !== "object" || fields === null) continue;
    for (const [field, messages] of Object.entries(fields as Record<string, unknown>)) {
      const text = Array.isArray(messages) ? messages.map(String).join(" ") : String(messages);
      out.push({ key: `${row}:${field}`, row, code: typeof code === "string" ? code : "", field, messages: text });
    }
  }
  return out;
}
