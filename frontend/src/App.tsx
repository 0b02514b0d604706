import { useEffect, useState } from "react";
import { App as AntApp, ConfigProvider } from "antd";
// The ES-module builds: the CommonJS "antd/locale/*" entry points reach the bundle as
// { default: locale }, which ConfigProvider ignores (every built-in text then stays English).
import zhCN from "antd/es/locale/zh_CN";
import enUS from "antd/es/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter } from "react-router";
import { useTranslation } from "react-i18next";
import { AuthProvider, ME_KEY } from "./auth/auth";
import { AppRoutes } from "./routes";
import { ApiError } from "./api/http";

// People who ask their system for less motion get no animations (drawers, modals, messages).
const REDUCED_MOTION =
  typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches === true;

/** A request answered "not signed in" (session expired, logged out elsewhere): back to login. */
function onAuthLost(error: unknown): void {
  if (
    error instanceof ApiError &&
    (error.code === "not_authenticated" || error.code === "authentication_failed")
  ) {
    queryClient.setQueryData(ME_KEY, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onAuthLost }),
  mutationCache: new MutationCache({ onError: onAuthLost }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status > 0) && count < 2,
      refetchOnWindowFocus: false,
      // offline, a query fails (network error, shown with retry) instead of pausing silently
      networkMode: "always",
    },
    mutations: { networkMode: "always" },
  },
});

export function App() {
  const { i18n } = useTranslation();
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const onChange = (lng: string) => setLanguage(lng);
    i18n.on("languageChanged", onChange);
    return () => i18n.off("languageChanged", onChange);
  }, [i18n]);
  const isEnglish = language === "en";
  useEffect(() => {
    document.title = i18n.t("app.name");
    document.documentElement.lang = language;
  }, [i18n, language]);
  dayjs.locale(isEnglish ? "en" : "zh-cn");
  return (
    <ConfigProvider
      locale={isEnglish ? enUS : zhCN}
      theme={{ token: { colorPrimary: "#1677ff", motion: !REDUCED_MOTION } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
