// The request bodies of the schema by path and method, for the shared forms that save to several
// paths (the draft form, the master-data page): their values are typed by the path they save to.
import type { paths } from "./schema";

/** The JSON body that `method` at `path` takes (never when it takes none). */
export type RequestBody<P extends keyof paths, M extends "post" | "put" | "patch"> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** A record's path template below a list path: "/api/v1/brands/" → "/api/v1/brands/{id}/". */
export type DetailPath<P extends string> = `${P}{id}/`;
