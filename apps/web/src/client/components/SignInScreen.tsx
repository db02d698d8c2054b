"use client";

import { useAuth } from "../auth/AuthProvider";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { LanguageSwitcher } from "./LanguageSwitcher";

/** Shown whenever nobody is signed in: first visit, after sign-out, or when the session has ended. */
export function SignInScreen() {
  const { status, config, error, signIn } = useAuth();
  const t = useT(common);
  return (
    <main className="mx-auto mt-24 max-w-md rounded border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex items-start justify-between">
        <h1 className="text-xl font-semibold">{status === "expired" ? t("signedout.title") : t("signin.title")}</h1>
        <LanguageSwitcher />
      </div>
      <p className="mt-2 text-sm text-slate-600">{status === "expired" ? t("signedout.expired") : t("signin.intro")}</p>
      {status === "loading" ? <p className="mt-4 text-sm">{t("loading")}</p> : null}
      {status === "disabled" ? <p className="mt-4 text-sm text-amber-800">{t("signin.disabled")}</p> : null}
      {status === "error" && error ? (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {t("signin.failed", { message: error })}
        </p>
      ) : null}
      {status === "signed-out" || status === "expired" ? (
        <>
          {config ? <p className="mt-4 text-xs text-slate-500">{t(`signin.provider.${config.provider}`)}</p> : null}
          <button type="button" onClick={() => void signIn()} className="mt-2 w-full rounded bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700">
            {t("signin.button")}
          </button>
        </>
      ) : null}
    </main>
  );
}
