// Approve or reject one approval level, with a comment: POST /api/v1/approvals/{id}/approve/
// or /reject/ (the one path of a decision), then every query is refreshed (the document, the
// inbox, the menu badge).
import { useState } from "react";
import { App as AntApp, Button, Input, Modal, Space } from "antd";
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client, idempotent, ok } from "../../api/http";
import { showError } from "../../api/errors";

type Decision = "approve" | "reject";

// `approve` false: only the reject button (a step by permission on a document page, where
// the document's own approve button decides it).
export function DecisionButtons({
  stepId,
  size,
  approve = true,
}: {
  stepId: number;
  size?: "small" | "middle";
  approve?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Decision | null>(null);
  const [comment, setComment] = useState("");
  const init = (text: string) => ({ params: { path: { id: stepId } }, body: { comment: text }, headers: idempotent() });
  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      decision === "approve"
        ? ok(client.POST("/api/v1/approvals/{id}/approve/", init(comment)))
        : ok(client.POST("/api/v1/approvals/{id}/reject/", init(comment))),
    onSuccess: async (_data, decision) => {
      message.success(t(decision === "approve" ? "approval.approved" : "approval.rejected"));
      setOpen(null);
      setComment("");
      await queryClient.invalidateQueries();
    },
    onError: (error) => showError(error, t, message),
  });
  return (
    <>
      <Space>
        {approve && (
          <Button
            type="primary"
            size={size}
            icon={<CheckOutlined />}
            data-testid={`approve-${stepId}`}
            onClick={() => setOpen("approve")}
          >
            {t("approval.approve")}
          </Button>
        )}
        <Button
          danger
          size={size}
          icon={<CloseOutlined />}
          data-testid={`reject-${stepId}`}
          onClick={() => setOpen("reject")}
        >
          {t("approval.reject")}
        </Button>
      </Space>
      <Modal
        open={open !== null}
        title={t(open === "reject" ? "approval.rejectTitle" : "approval.approveTitle")}
        okText={t(open === "reject" ? "approval.reject" : "approval.approve")}
        okButtonProps={{ danger: open === "reject" }}
        cancelText={t("common.cancel")}
        confirmLoading={decide.isPending}
        onOk={() => {
          if (open === "reject" && !comment.trim()) {
            message.warning(t("approval.reasonRequired"));
            return;
          }
          if (open) decide.mutate(open);
        }}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={comment}
          data-testid="decision-comment"
          placeholder={t(open === "reject" ? "approval.rejectPlaceholder" : "approval.commentPlaceholder")}
          onChange={(event) => setComment(event.target.value)}
        />
      </Modal>
    </>
  );
}
