// How many approvals wait for the signed-in user (the menu badge); refreshed every minute and
// after every decision (DecisionButtons invalidates all queries).
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";

export const APPROVAL_COUNT_URL = "/api/v1/approvals/count/";

export function useApprovalCount(enabled: boolean): number {
  const query = useQuery({
    queryKey: [APPROVAL_COUNT_URL],
    queryFn: () => ok(client.GET("/api/v1/approvals/count/")),
    refetchInterval: 60_000,
    enabled,
  });
  return query.data?.count ?? 0;
}
