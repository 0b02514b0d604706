// The approval state of a document: who must approve now, the decision buttons for who may
// (a step by permission: reject only, the document's own approve button approves),
// and every level of every submission (who decided what, when, with which comment).
import { Card, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { ApprovalStepRow, DocumentApproval } from "../../api/contract";
import { wallTimeIn } from "../stock/companyTime";
import { useCompanyTimeZone } from "../stock/queries";
import { pendingByPermission } from "./actions";
import { DecisionButtons } from "./DecisionButtons";
import { roleKey } from "./links";

const COLORS: Record<ApprovalStepRow["status"], string> = {
  waiting: "default",
  pending: "processing",
  approved: "success",
  rejected: "error",
  cancelled: "default",
};

export function roleName(role: string, t: TFunction): string {
  if (!role) return t("approval.byPermission");
  const key = roleKey(role);
  return key ? t(key) : role;
}

export function ApprovalHistory({ approval }: { approval: DocumentApproval | undefined }) {
  const { t } = useTranslation();
  const zone = useCompanyTimeZone();
  if (!approval || approval.steps.length === 0) return null;
  const time = (at: string | null | undefined) => (at ? wallTimeIn(zone, at).slice(0, 16) : "");
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t("approval.history")}
      data-testid="approval-history"
      extra={
        approval.pending_step !== null && approval.can_decide ? (
          <DecisionButtons stepId={approval.pending_step} size="small" approve={!pendingByPermission(approval)} />
        ) : null
      }
    >
      <Table<ApprovalStepRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={approval.steps}
        scroll={{ x: 720 }}
        columns={[
          { title: t("approval.level"), key: "level", width: 64, render: (_v, s) => `${s.round}.${s.sequence}` },
          { title: t("approval.role"), key: "role", render: (_v, s) => roleName(s.role, t) },
          {
            title: t("approval.status"),
            key: "status",
            render: (_v, s) => (
              <Tag color={COLORS[s.status]} data-testid={`approval-status-${s.id}`}>
                {t(`approval.status_${s.status}`)}
              </Tag>
            ),
          },
          { title: t("approval.decidedBy"), key: "by", render: (_v, s) => s.decided_by ?? "" },
          { title: t("approval.decidedAt"), key: "at", render: (_v, s) => time(s.decided_by ? s.decided_at : null) },
          {
            title: t("approval.comment"),
            key: "comment",
            render: (_v, s) => <Typography.Text data-testid={`approval-comment-${s.id}`}>{s.comment}</Typography.Text>,
          },
          { title: t("approval.rule"), key: "rule", dataIndex: "rule_name", responsive: ["md"] },
        ]}
      />
    </Card>
  );
}
