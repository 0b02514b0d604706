// "Edit" and "Delete draft" on a draft document (by the type's change/delete permission).
import { App as AntApp, Button, Popconfirm } from "antd";
import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { request } from "../../api/http";
import { showError } from "../../api/errors";
import { useAuth } from "../../auth/auth";
import { hasPermission } from "../../auth/access";
import { draftButtons, type DraftModel } from "./draftLines";

export function DraftButtons({
  model,
  url,
  status,
  listPath,
  onEdit,
  canEdit = true,
}: {
  model: DraftModel;
  url: string; // the document's URL, ending with "/"
  status: string;
  listPath: string; // where to go after deleting
  onEdit: () => void;
  canEdit?: boolean; // false: a type whose drafts are not edited (only deleted)
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const buttons = draftButtons(model, status, (permission) => hasPermission(me, permission));
  const remove = useMutation({
    mutationFn: () => request<void>("DELETE", url),
    onSuccess: () => {
      message.success(t("draft.deleted"));
      queryClient.removeQueries({ queryKey: [url] });
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

