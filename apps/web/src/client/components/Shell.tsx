"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useAuth } from "../auth/AuthProvider";
import { useMe } from "../auth/useMe";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { quorum } from "../i18n/messages/quorum";
import { recovery } from "../i18n/messages/recovery";
import { ReviewDueBanner } from "../quorum/ReviewDueBanner";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { SignInScreen } from "./SignInScreen";

const NAV = [
  { href: "/inventory", label: "nav.keys" },
  { href: "/deleted", label: "nav.deleted" },
  { href: "/ceremonies", label: "nav.ceremonies" },
  { href: "/kms-imports", label: "nav.imports" },
  { href: "/bridges", label: "nav.bridges" },
  { href: "/access", label: "nav.access" },
  { href: "/quorum", label: "nav.quorum" },
  { href: "/recovery", label: "nav.recovery" },
] as const;

function WhoAmI() {
  const t = useT(common);
  const { account, signOut } = useAuth();
  const me = useMe();
  const name = me.data?.name ?? account?.username ?? account?.name ?? me.data?.id ?? "";
  const roles = me.data?.roles.map((r) => r.roleName) ?? [];
  return (
    <div className="flex items-center gap-3 text-xs">
      <div className="text-right" data-testid="whoami">
        <div className="font-medium text-slate-800">{t("me.signedInAs", { name })}</div>
        <div className="text-slate-500" title={t("me.roles")}>
          {roles.length ? [...new Set(roles)].join(" · ") : t("me.noRoles")}
        </div>
      </div>
      <button type="button" onClick={() => void signOut()} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
        {t("signout.button")}
      </button>
    </div>
  );
}

/** The signed-in frame: navigation, who is signed in and their roles, language. */
export function Shell({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const t = useT(common);
  const tq = useT(quorum);
  const tr = useT(recovery);
  const path = usePathname();
  if (status !== "signed-in") return <SignInScreen />;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2">
          <Link href="/inventory" className="text-base font-semibold tracking-tight">
            {t("product")}
          </Link>
          <nav className="flex gap-1 text-sm" aria-label="main">
            {NAV.map((n) => (
              <Link
                key={n.href}
                href={n.href}
                aria-current={path.startsWith(n.href) ? "page" : undefined}
                className={`rounded px-2 py-1 ${path.startsWith(n.href) ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {n.label === "nav.quorum" ? tq(n.label) : n.label === "nav.recovery" ? tr(n.label) : t(n.label)}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-4">
            <LanguageSwitcher />
            <WhoAmI />
          </div>
        </div>
      </header>
      <ReviewDueBanner />
      <main className="mx-auto max-w-7xl px-4 py-4">{children}</main>
    </div>
  );
}
