// A form in a dialog (the user menu's 我的邮箱 / My e-mail and 修改密码 / Change password): Save
// validates, sends, says so and closes; a refusal or a failure keeps the dialog open with what
// was typed, puts the API's field errors on the fields and says what went wrong inside the
// dialog (a message at the top of a phone's screen is easy to miss behind the dialog).
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Alert, App as AntApp, Form, Modal } from "antd";
import type { FormInstance } from "antd";
import { useTranslation } from "react-i18next";
import { errorMessage, showError } from "../api/errors";

export function ModalForm<V extends object>({
  open,
  title,
  onClose,
  onSubmit,
  successMessage,
  initialValues,
  okTestId,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  /** Send the validated values; throw (an ApiError) to keep the dialog open. */
  onSubmit: (values: V, form: FormInstance<V>) => Promise<void>;
  successMessage: string;
  initialValues?: Partial<V>;
  okTestId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<V>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Each opening starts from initialValues as they are now (the address just saved), and
  // initial values that arrive while it is open (read again from the server) replace them unless
  // something was typed. The values are set, not only reset: the form's store outlives the
  // dialog's fields, and resetFields() would reset to the initial values of the form's last
  // render, which a closing dialog skips; the fields mount a render after `open` turns true and
  // then keep what the store holds.
  const initial = JSON.stringify(initialValues ?? {});
  const opened = useRef(false);
  useEffect(() => {
    if (!open) {
      opened.current = false;
      return;
    }
    if (opened.current && form.isFieldsTouched()) return;
    opened.current = true;
    form.resetFields();
    form.setFieldsValue(JSON.parse(initial) as Parameters<FormInstance<V>["setFieldsValue"]>[0]);
  }, [open, form, initial]);
  const close = () => {
    setFailure(null);
    onClose();
  };
  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return; // shown on the fields
    }
    setSaving(true);
    setFailure(null);
    try {
      await onSubmit(values, form);
      message.success(successMessage);
      close();
    } catch (error) {
      showError(error, t, message, form);
      setFailure(errorMessage(error, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      okButtonProps={okTestId ? ({ "data-testid": okTestId } as Record<string, string>) : undefined}
      destroyOnHidden
    >
      {failure && (
        <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="modal-form-error" />
      )}
      {/* preserve={false}: closing drops what was typed, so the next opening starts from
          initialValues (the saved address, empty passwords), not from the last session */}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} preserve={false}>
        {children}
      </Form>
    </Modal>
  );
}
