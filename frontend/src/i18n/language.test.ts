import { describe, expect, it } from "vitest";
import { browserLanguage, fromServerLanguage, savedLanguageToApply, toServerLanguage } from "./index";

describe("language codes", () => {
  it("maps the server's codes to UI languages and back", () => {
    expect(fromServerLanguage("zh-hans")).toBe("zh-CN");
    expect(fromServerLanguage("en")).toBe("en");
    expect(fromServerLanguage("fr")).toBeNull();
    expect(fromServerLanguage(null)).toBeNull();
    expect(toServerLanguage("zh-CN")).toBe("zh-hans");
    expect(toServerLanguage("en")).toBe("en");
  });

  it("follows the saved language only when there is one and it differs", () => {
    expect(savedLanguageToApply("en", "zh-CN")).toBe("en");
    expect(savedLanguageToApply("zh-hans", "en")).toBe("zh-CN");
    expect(savedLanguageToApply("en", "en")).toBeNull();
    expect(savedLanguageToApply(null, "en")).toBeNull(); // none saved: the device's choice stays
  });

  it("starts a first visit in English when the browser prefers any English, else in Chinese", () => {
    expect(browserLanguage(["en-US", "en"])).toBe("en");
    expect(browserLanguage(["en-GB"])).toBe("en");
    expect(browserLanguage(["EN"])).toBe("en");
    expect(browserLanguage(["fr-FR", "en-US", "zh-CN"])).toBe("en");
    expect(browserLanguage(["zh-CN", "en-US"])).toBe("zh-CN");
    expect(browserLanguage(["zh-TW"])).toBe("zh-CN");
    expect(browserLanguage(["fr-FR"])).toBe("zh-CN");
    expect(browserLanguage(["eng"])).toBe("zh-CN");
    expect(browserLanguage([])).toBe("zh-CN");
    expect(browserLanguage(undefined)).toBe("zh-CN");
  });
});
