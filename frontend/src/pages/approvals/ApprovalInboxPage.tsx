// 待审批: the approvals waiting for the signed-in user, in their store scope — the document
// (with a link to its page), its amount, who asked when, which level; approve or reject each
// with a comment.
import { Card, Empty, Typography } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { ApprovalInboxRow } from "../../api/contract";
import { useList } from "../../api/useList";
import { LoadFailed } from "../../components/LoadFailed";
import { ListTable } from "../../components/ListTable";
import { DecisionButtons } from "../../features/approvals/DecisionButtons";
import { roleName } from "../../features/approvals/ApprovalHistory";
import { documentPath } from "../../features/approvals/links";
import { wallTimeIn } from "../../features/stock/companyTime";
import { useCompanyTimeZone } from "../../features/stock/queries";
import { formatAmountGrouped } from "../../lib/format";

export function ApprovalInboxPage() {
  const { t } = useTranslation();
  const zone = useCompanyTimeZone();
  const list = useList("/api/v1/approvals/");
  if (list.query.isError) return <LoadFailed error={list.query.error} />;
  return (
    <Card title={t("approval.inboxTitle")}>
      {/* on a phone each approval is a card (amount, who, when, level) with its buttons: the
          table scrolled sideways and showed only the number and the buttons */}
      <ListTable<ApprovalInboxRow>
        list={list}
        size="small"
        pagination={list.pagination(t)}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty description={t("approval.nothingPending")} /> }}
        columns={[
          {
            title: t("approval.document"),
            key: "number",
            render: (_v, row) => {
              const path = documentPath(row.resource, row.document_id);
              return path ? (
                <Link to={path} data-testid={`inbox-doc-${row.document_number}`}>
                  {row.document_number}
                </Link>
              ) : (
                row.document_number
              );
            },
          },
          {
            title: t("approval.kind"),
            key: "kind",
            render: (_v, row) => t(`approval.kind_${row.document_kind}`, { defaultValue: row.document_kind }),
          },
          { title: t("approval.store"), key: "store", dataIndex: "store_code" },
          {
            title: t("approval.amount"),
            key: "amount",
            align: "right",
            render: (_v, row) => (row.amount === null ? "" : formatAmountGrouped(row.amount)),
          },
          { title: t("approval.requestedBy"), key: "requested_by", render: (_v, row) => row.requested_by ?? "" },
          {
            title: t("approval.requestedAt"),
            key: "requested_at",
            render: (_v, row) => wallTimeIn(zone, row.requested_at).slice(0, 16),
          },
          {
            title: t("approval.level"),
            key: "level",
            render: (_v, row) => (
              <Typography.Text>
                {row.sequence} · {roleName(row.role, t)}
              </Typography.Text>
            ),
          },
          { title: t("approval.rule"), key: "rule", dataIndex: "rule_name", responsive: ["lg"] },
          {
            title: t("common.actions"),
            key: "actions",
            fixed: "right",
            width: 190,
            render: (_v, row) => <DecisionButtons stepId={row.id} size="small" />,
          },
        ]}
      />
    </Card>
  );
}
