import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import zhCN from "./zh-CN";
import en from "./en";
import { setApiLanguage } from "../api/http";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "storeledger.language";

/**
 * The language a browser prefers (navigator.languages, most preferred first): English when its
 * first English or Chinese entry is English (en, en-US, en-GB…), else zh-CN.
 */
export function browserLanguage(preferred: readonly string[] | undefined): Language {
  for (const code of preferred ?? []) {
    const lower = code.toLowerCase();
    if (lower === "en" || lower.startsWith("en-")) return "en";
    if (lower === "zh" || lower.startsWith("zh-")) return "zh-CN";
  }
  return "zh-CN";
}

/**
 * The language the UI starts in: the choice saved on this device, else the browser's preferred
 * language (a first visit). Once signed in, the user's saved language wins (auth.tsx).
 */
export function storedLanguage(): Language {
  const saved = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (saved === "en" || saved === "zh-CN") return saved;
  const nav = typeof navigator === "undefined" ? undefined : navigator;
  return browserLanguage(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

/** The server's language code (Django: zh-hans / en) as a UI language. */
export function fromServerLanguage(code: string | null | undefined): Language | null {
  if (!code) return null;
  return code.toLowerCase().startsWith("en") ? "en" : code.toLowerCase().startsWith("zh") ? "zh-CN" : null;
}

/** The UI language to switch to for a user's saved language; null: stay as it is. */
export function savedLanguageToApply(saved: string | null | undefined, current: string): Language | null {
  const language = fromServerLanguage(saved);
  return language && language !== current ? language : null;
}

/** The UI language as the server's language code (PATCH /api/v1/auth/me/). */
export function toServerLanguage(language: Language): "zh-hans" | "en" {
  return language === "en" ? "en" : "zh-hans";
}

/** Switch the UI (and the language of API messages) on this device. */
export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  setApiLanguage(language);
  document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

const initial = storedLanguage();
setApiLanguage(initial);
void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
