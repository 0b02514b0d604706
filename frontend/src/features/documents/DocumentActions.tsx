// The state buttons of a document, from its `available_actions` (the server's registry of
// document types decides them); each asks for confirmation, posts the action with an
// Idempotency-Key and refreshes every query. `custom` takes over an action (e.g. receive).
// The document is a path template of the schema ("/api/v1/transfers/{id}/") with its id, and an
// action is posted to the schema's "{path}{action}/": a document path without actions, or a
// `custom`/`confirmNote` for an action its type does not have, fails the type check.
import type { ReactNode } from "react";
import { App as AntApp, Button, Popconfirm, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent } from "../../api/http";
import type { paths } from "../../api/schema";
import { showError } from "../../api/errors";
import { ACTION_LABEL, actionButtons, type DocumentAction } from "./actions";

/** The schema's action paths of documents: "/api/v1/transfers/{id}/ship/", ... (POST). */
type ActionPath = {
  [K in keyof paths]: K extends `${string}/{id}/${DocumentAction}/` ? (paths[K] extends { post: unknown } ? K : never) : never;
}[keyof paths];

/** A document path template of the schema that has actions: "/api/v1/transfers/{id}/". */
export type DocumentPath = { [K in ActionPath]: K extends `${infer D}{id}/${string}` ? `${D}{id}/` : never }[ActionPath];

/** The actions the schema has for the documents at `P`. */
export type ActionOf<P extends DocumentPath> = {
  [K in ActionPath]: K extends `${P}${infer A}/` ? (A extends DocumentAction ? A : never) : never;
}[ActionPath];

export function DocumentActions<P extends DocumentPath>({
  path,
  id,
  available,
  custom = {},
  confirmNote = {},
}: {
  path: P; // the document's path template, e.g. "/api/v1/transfers/{id}/"
  id: number;
  available: readonly string[]; // the document's available_actions
  custom?: Partial<Record<ActionOf<P>, () => void>>;
  /** more to say in an action's confirmation (e.g. how many lines are still uncounted) */
  confirmNote?: Partial<Record<ActionOf<P>, ReactNode>>;
}) {
  // read by any action name: an action the type does not have is simply not there
  const customOf: Partial<Record<DocumentAction, () => void>> = custom;
  const noteOf: Partial<Record<DocumentAction, ReactNode>> = confirmNote;
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: DocumentAction) =>
      // the action comes from the server's available_actions for this document, so its path exists
      client.POST(`${path}${action}/` as ActionPath, { params: { path: { id } }, headers: idempotent() }),
    onSuccess: async (_data, action) => {
      message.success({ content: t(`doc.done_${action}`), key: `${path}${id}` }); // one message, naming what happened
      await queryClient.invalidateQueries();
    },
    onError: (error) => showError(error, t, message),
  });
  const actions = actionButtons(available);
  return (
    <Space wrap>
      {actions.map((action) => {
        const button = (
          <Button
            key={action}
            type={action === "post" || action === "ship" || action === "receive" ? "primary" : "default"}
            danger={action === "reverse" || action === "cancel"}
            loading={act.isPending && act.variables === action}
            data-testid={`action-${action}`}
            onClick={customOf[action]}
          >
            {t(ACTION_LABEL[action])}
          </Button>
        );
        if (customOf[action]) return button;
        return (
          <Popconfirm
            key={action}
            title={t("doc.confirmAction", { action: t(ACTION_LABEL[action]) })}
            description={noteOf[action]}
            okText={t(ACTION_LABEL[action])}
            cancelText={t("common.cancel")}
            onConfirm={() => act.mutate(action)}
          >
            {button}
          </Popconfirm>
        );
      })}
    </Space>
  );
}
