import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/http";
import { errorMessage } from "../api/errors";

/** In place of a record's page when the record could not be loaded: "not found" for a 404 (a
 *  deleted record, or one outside the user's stores), else the server's message. */
export function LoadFailed({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div data-testid="load-failed">
      <Result
        status={notFound ? "404" : "error"}
        title={notFound ? t("pageState.notFound") : errorMessage(error, t)}
      />
    </div>
  );
}
