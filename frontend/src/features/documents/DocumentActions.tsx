// The state buttons of a document, from its `available_actions` (the server's registry of
// document types decides them); each asks for confirmation, posts the action with an
// Idempotency-Key and refreshes every query. `custom` takes over an action (e.g. receive).
import type { ReactNode } from "react";
import { App as AntApp, Button, Popconfirm, Space } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { newIdempotencyKey } from "../../lib/ids";
import { ACTION_LABEL, actionButtons, type DocumentAction } from "./actions";

export function DocumentActions({
  url,
  available,
  custom = {},
  confirmNote = {},
}: {
  url: string; // the document's URL, ending with "/"
  available: readonly string[]; // the document's available_actions
  custom?: Partial<Record<DocumentAction, () => void>>;
  /** more to say in an action's confirmation (e.g. how many lines are still uncounted) */
  confirmNote?: Partial<Record<DocumentAction, ReactNode>>;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: DocumentAction) =>
      request<unknown>("POST", `${url}${action}/`, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: async (_data, action) => {
      message.success({ content: t(`doc.done_${action}`), key: url }); // one message, naming what happened
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
            onClick={custom[action]}
          >
            {t(ACTION_LABEL[action])}
          </Button>
        );
        if (custom[action]) return button;
        return (
          <Popconfirm
            key={action}
            title={t("doc.confirmAction", { action: t(ACTION_LABEL[action]) })}
            description={confirmNote[action]}
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
