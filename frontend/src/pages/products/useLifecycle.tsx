// Delete or deactivate a SKU or product: delete asks first; when the server answers that the
// record is used (409 in_use, naming the SKU and what uses it), it offers to deactivate instead.
import { App as AntApp } from "antd";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, given } from "../../api/http";
import type { paths } from "../../api/schema";
import { showError } from "../../api/errors";
import { isInUse } from "./productEdit";

/** A record path template of the schema with delete, activate and deactivate ("/api/v1/skus/{id}/"). */
export type LifecyclePath = {
  [K in keyof paths]: K extends `${string}/{id}/`
    ? paths[K] extends { delete: unknown }
      ? `${K}activate/` extends keyof paths
        ? `${K}deactivate/` extends keyof paths
          ? K
          : never
        : never
      : never
    : never;
}[keyof paths];

interface Options {
  /** The record's path template ("/api/v1/skus/{id}/") and id (null: none shown yet). */
  path: LifecyclePath;
  id: number | null;
  /** Shown in the questions ("SKU T100-M"). */
  label: string;
  onDeleted: () => void;
  onChanged: () => void;
}

export function useLifecycle({ path, id, label, onDeleted, onChanged }: Options) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();

  const setActive = useMutation({
    mutationFn: (active: boolean) =>
      client.POST(`${path}${active ? "activate" : "deactivate"}/`, { params: { path: { id: given(id) } } }),
    onSuccess: (_data, active) => {
      message.success(t(active ? "productEdit.activated" : "productEdit.deactivated", { label }));
      onChanged();
    },
    onError: (error) => showError(error, t, message),
  });

  const offerDeactivate = (reason: string) =>
    modal.confirm({
      title: t("productEdit.cannotDelete", { label }),
      content: reason,
      okText: t("productEdit.deactivateInstead"),
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "deactivate-instead" } as Record<string, string>,
      onOk: () => setActive.mutateAsync(false),
    });

  const remove = () =>
    modal.confirm({
      title: t("productEdit.deleteConfirm", { label }),
      content: t("productEdit.deleteHint"),
      okText: t("productEdit.delete"),
      okType: "danger",
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "delete-confirm" } as Record<string, string>,
      onOk: async () => {
        try {
          await client.DELETE(path, { params: { path: { id: given(id) } } });
        } catch (error) {
          if (isInUse(error)) offerDeactivate(error.message);
          else showError(error, t, message);
          return;
        }
        message.success(t("productEdit.deleted", { label }));
        onDeleted();
      },
    });

  const confirmDeactivate = () =>
    modal.confirm({
      title: t("productEdit.deactivateConfirm", { label }),
      content: t("productEdit.deactivateHint"),
      okText: t("productEdit.deactivate"),
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "deactivate-confirm" } as Record<string, string>,
      onOk: () => setActive.mutateAsync(false),
    });

  return {
    remove,
    deactivate: confirmDeactivate,
    activate: () => setActive.mutate(true),
    busy: setActive.isPending,
  };
}
