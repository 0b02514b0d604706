// t("…") keys are checked against the messages (zh-CN.ts; en.ts has the same keys): a misspelt or
// missing key fails the type check of the build. See frontend/README.md, "Translations".
import "i18next";
import type { Messages } from "./zh-CN";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}
