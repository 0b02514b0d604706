import { describe, expect, it } from "vitest";
import i18next from "i18next";
import zhCN from "./zh-CN";
import en from "./en";

async function translator(lng: string) {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
    lng,
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

describe("counted texts", () => {
  it("say one day, label and line in English, and several otherwise", async () => {
    const t = await translator("en");
    expect(t("stockPages.expiresIn", { count: 1 })).toBe("1 day");
    expect(t("stockPages.expiresIn", { count: 3 })).toBe("3 days");
    expect(t("stockPages.expiredAgo", { count: 1 })).toBe("Expired 1 day ago");
    expect(t("printing.total", { count: 1 })).toBe("1 label");
    expect(t("countEdit.requestRecount", { count: 1 })).toBe("Request recount (1 line)");
    expect(t("countEdit.requestRecount", { count: 2 })).toBe("Request recount (2 lines)");
  });

  it("stay the same for any number in Chinese", async () => {
    const t = await translator("zh-CN");
    expect(t("stockPages.expiresIn", { count: 1 })).toBe("1 天");
    expect(t("printing.total", { count: 1 })).toBe("共 1 张");
  });
});
