"use client";

import { InteractionRequiredAuthError, type AccountInfo, type PublicClientApplication } from "@azure/msal-browser";
import type { SignInConfig } from "@keyward/shared";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createApiClient, type ApiClient } from "../api/client";
import { createMsal, loadSignInConfig } from "./msal";

export type AuthStatus = "loading" | "signed-out" | "expired" | "signed-in" | "disabled" | "error";

interface AuthState {
  status: AuthStatus;
  config: SignInConfig | undefined;
  account: AccountInfo | undefined;
  error: string | undefined;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /** Bound to the signed-in account; throws once the session cannot be renewed (status becomes "expired"). */
  api: ApiClient;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

/**
 * Sign-in with MSAL against the configured provider (Entra ID, any OIDC provider, or the embedded
 * issuer). Tokens are renewed silently with the refresh token; when that is no longer possible the UI
 * says "signed out" instead of failing request by request.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [config, setConfig] = useState<SignInConfig>();
  const [account, setAccount] = useState<AccountInfo>();
  const [error, setError] = useState<string>();
  const msal = useRef<PublicClientApplication | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const cfg = await loadSignInConfig();
        if (cancelled) return;
        setConfig(cfg);
        if (!cfg.enabled) return setStatus("disabled");
        const pca = await createMsal(cfg);
        msal.current = pca;
        const redirect = await pca.handleRedirectPromise();
        const active = redirect?.account ?? pca.getActiveAccount() ?? pca.getAllAccounts()[0];
        if (cancelled) return;
        if (active) {
          pca.setActiveAccount(active);
          setAccount(active);
          setStatus("signed-in");
        } else setStatus("signed-out");
      } catch (err) {
        if (cancelled) return;
        setError(err instanceof Error ? err.message : String(err));
        setStatus("error");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const token = useCallback(async () => {
    const pca = msal.current;
    const acct = pca?.getActiveAccount();
    if (!pca || !acct || !config) {
      setStatus("expired");
      throw new Error("not signed in");
    }
    try {
      const result = await pca.acquireTokenSilent({ scopes: config.scopes, account: acct });
      return result.accessToken;
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) setStatus("expired");
      throw err;
    }
  }, [config]);

  const api = useMemo(() => createApiClient(token, () => setStatus("expired")), [token]);

  const signIn = useCallback(async () => {
    const pca = msal.current;
    if (!pca || !config) return;
    setError(undefined);
    await pca.loginRedirect({ scopes: config.scopes, redirectStartPage: window.location.href });
  }, [config]);

  const signOut = useCallback(async () => {
    const pca = msal.current;
    if (!pca) return;
    const acct = pca.getActiveAccount();
    await pca.logoutRedirect(acct ? { account: acct } : {});
  }, []);

  const value = useMemo<AuthState>(() => ({ status, config, account, error, signIn, signOut, api }), [status, config, account, error, signIn, signOut, api]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

/** The API client of the signed-in user. */
export function useApi(): ApiClient {
  return useAuth().api;
}
