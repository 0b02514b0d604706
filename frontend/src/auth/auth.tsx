import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, client, ok } from "../api/http";
import type { Me } from "../api/contract";
import i18n, { changeLanguage, savedLanguageToApply, toServerLanguage, type Language } from "../i18n";
import { can, type AccessKey } from "./access";

export const ME_KEY = ["auth", "me"] as const;

interface AuthState {
  me: Me | null;
  loading: boolean;
  can: (key: AccessKey) => boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  changePassword: (oldPassword: string, newPassword: string) => Promise<void>;
  /** Switch the UI language; when signed in, also save it on the user (every device). */
  saveLanguage: (language: Language) => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** The UI turns to the user's saved language, if any (after login, on any device). */
async function followSavedLanguage(me: Me): Promise<Me> {
  const saved = savedLanguageToApply(me.language, i18n.language);
  if (saved) await changeLanguage(saved);
  return me;
}

async function fetchMe(): Promise<Me | null> {
  try {
    return await followSavedLanguage(await ok(client.GET("/api/v1/auth/me/")));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

/** Make sure the CSRF cookie exists before a mutation (Django sets it on this GET). */
export async function ensureCsrf(): Promise<void> {
  await client.GET("/api/v1/auth/csrf/");
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });

  const login = useCallback(
    async (username: string, password: string) => {
      await ensureCsrf();
      await client.POST("/api/v1/auth/login/", { body: { username, password } });
      // Django rotates the CSRF token at login; fetch it again for the next mutations.
      await ensureCsrf();
      const me = await followSavedLanguage(await ok(client.GET("/api/v1/auth/me/")));
      queryClient.setQueryData(ME_KEY, me);
      return me;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await client.POST("/api/v1/auth/logout/");
    } finally {
      // Keep the (observed) "me" query and set it to null; drop every other cached answer.
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
    }
  }, [queryClient]);

  const changePassword = useCallback(async (oldPassword: string, newPassword: string) => {
    await client.POST("/api/v1/auth/password/", {
      body: { old_password: oldPassword, new_password: newPassword },
    });
    await ensureCsrf();
  }, []);

  const saveLanguage = useCallback(
    async (language: Language) => {
      await changeLanguage(language);
      if (!queryClient.getQueryData<Me | null>(ME_KEY)) return; // signed out: this device only
      const me = await ok(
        client.PATCH("/api/v1/auth/me/", { body: { language: toServerLanguage(language) } }),
      );
      queryClient.setQueryData(ME_KEY, me);
    },
    [queryClient],
  );

  const value = useMemo<AuthState>(() => {
    const me = meQuery.data ?? null;
    return {
      me,
      loading: meQuery.isLoading,
      can: (key: AccessKey) => can(me, key),
      login,
      logout,
      changePassword,
      saveLanguage,
    };
  }, [meQuery.data, meQuery.isLoading, login, logout, changePassword, saveLanguage]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

/** The sign before an amount in the company's currency (¥ for CNY, $ for USD), as labels print it. */
export function useCurrencySign(): string {
  return useAuth().me?.currency_sign ?? "¥";
}
