// Saving a draft document through the typed client: the header's fields are typed by the
// create and edit bodies of the document's list path, so a renamed field fails `tsc`.
import { client, idempotent, ok } from "../../api/http";
import type { DetailPath, RequestBody } from "../../api/bodies";
import type { paths } from "../../api/schema";
import type { LineInput } from "./draftLines";

type CreateBody<P extends keyof paths> = RequestBody<P, "post">;
type EditBody<P extends string> = DetailPath<P> extends keyof paths ? RequestBody<DetailPath<P>, "put"> : never;

/**
 * A document list path the draft form saves to: POST creates a draft (header, notes and
 * `LineInput` lines), PUT at `{id}/` edits it with its `version`.
 */
export type DraftPath = {
  [P in keyof paths]: [CreateBody<P>] extends [never]
    ? never
    : [EditBody<P>] extends [never]
      ? never
      : CreateBody<P> extends { lines: (infer L)[]; notes?: string }
        ? LineInput extends L
          ? EditBody<P> extends { version: number; notes?: string; lines?: (infer E)[] }
            ? LineInput extends E
              ? P
              : never
            : never
          : never
        : never;
}[keyof paths];

type HeaderOf<B> = Omit<B, "lines" | "version" | "post" | "posted_at">;

/**
 * The header of a draft at `P` as its form holds it: the fields both the create and the edit body
 * take, of a type both accept (required where creating needs them; the form's rules ensure it).
 */
export type DraftHeader<P extends DraftPath> = P extends DraftPath
  ? Pick<HeaderOf<CreateBody<P>>, keyof HeaderOf<CreateBody<P>> & keyof EditBody<P>> & HeaderOf<EditBody<P>>
  : never;

/** Create a draft at `path` (and post it at once when `post` is true): the new document's id. */
export async function createDraft<P extends DraftPath>(
  path: P,
  header: DraftHeader<P>,
  lines: LineInput[],
  post?: boolean,
): Promise<{ id: number }> {
  // the union of the draft paths: the client checks the body against theirs
  const at: DraftPath = path;
  const fields: DraftHeader<DraftPath> = header;
  const body = { ...fields, notes: fields.notes ?? "", lines };
  return ok(client.POST(at, { body: post === undefined ? body : { ...body, post }, headers: idempotent() }));
}

/** The draft paths' submit actions (purchase receipts have none: they are posted, not approved). */
type SubmitPath = Extract<`${DraftPath}{id}/submit/`, keyof paths>;

/**
 * Submit a saved draft for approval (its document path's `{id}/submit/`). Only for a document
 * the server held for approval (403 approval_required), so its type has the action.
 */
export async function submitDraft(path: DraftPath, id: number): Promise<void> {
  const at = `${path}{id}/submit/` as SubmitPath;
  await ok(client.POST(at, { params: { path: { id } }, headers: idempotent() }));
}

/** Save a draft's edit (409 stale_version when `version` is not the latest). */
export async function updateDraft<P extends DraftPath>(
  path: P,
  id: number,
  version: number,
  header: DraftHeader<P>,
  lines: LineInput[],
): Promise<{ id: number }> {
  const at: DetailPath<DraftPath> = `${path}{id}/`;
  const fields: DraftHeader<DraftPath> = header;
  const body = { ...fields, notes: fields.notes ?? "", lines, version };
  return ok(client.PUT(at, { params: { path: { id } }, body }));
}
