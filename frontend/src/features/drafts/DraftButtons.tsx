// "Edit" and "Delete draft" on a draft document (by the type's change/delete permission).
import { App as AntApp, Button, Popconfirm } from "antd";
import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { client } from "../../api/http";
import type { paths } from "../../api/schema";
import { showError } from "../../api/errors";
import { useAuth } from "../../auth/auth";
import { hasPermission, inWarehouseScope } from "../../auth/access";
import { draftButtons, type DraftModel } from "./draftLines";

/** A document path template of the schema that can be deleted: "/api/v1/transfers/{id}/". */
export type DeletablePath = {
  [K in keyof paths]: K extends `${string}/{id}/` ? (paths[K] extends { delete: unknown } ? K : never) : never;
}[keyof paths];

export function DraftButtons({
  model,
  path,
  id,
  status,
  listPath,
  onEdit,
  canEdit = true,
  sideWarehouses,
}: {
  model: DraftModel;
  path: DeletablePath; // the document's path template, e.g. "/api/v1/transfers/{id}/"
  id: number;
  status: string;
  listPath: string; // where to go after deleting
  onEdit: () => void;
  canEdit?: boolean; // false: a type whose drafts are not edited (only deleted)
  // the warehouses of the side that may change the draft (a transfer: its source), each of which
  // must be in the user's scope; the API refuses the other side
  sideWarehouses?: readonly number[];
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const onSide = sideWarehouses === undefined || inWarehouseScope(me, sideWarehouses);
  const buttons = draftButtons(model, status, (permission) => onSide && hasPermission(me, permission));
  const remove = useMutation({
    mutationFn: () => client.DELETE(path, { params: { path: { id } } }),
    onSuccess: () => {
      message.success(t("draft.deleted"));
      queryClient.removeQueries({ queryKey: [path.replace("{id}", String(id))] }); // the detail page's query
      void queryClient.invalidateQueries();
      navigate(listPath, { replace: true });
    },
    onError: (error) => showError(error, t, message),
  });
  return (
    <>
      {canEdit && buttons.edit && (
        <Button icon={<EditOutlined />} onClick={onEdit} data-testid="draft-edit">
          {t("draft.edit")}
        </Button>
      )}
      {buttons.remove && (
        <Popconfirm
          title={t("draft.confirmDelete")}
          okText={t("draft.delete")}
          okButtonProps={{ danger: true }}
          cancelText={t("common.cancel")}
          onConfirm={() => remove.mutate()}
        >
          <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="draft-delete">
            {t("draft.delete")}
          </Button>
        </Popconfirm>
      )}
    </>
  );
}

