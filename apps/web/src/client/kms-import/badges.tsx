"use client";

import { useEffect, useState } from "react";
import { DEFAULT_REMINDER_DAYS, type KmsImportJob } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { kms } from "../i18n/messages/kms";

const TONE = {
  good: "border-emerald-300 bg-emerald-50 text-emerald-800",
  wait: "border-amber-300 bg-amber-50 text-amber-900",
  bad: "border-red-300 bg-red-50 text-red-800",
  idle: "border-slate-300 bg-slate-50 text-slate-700",
} as const;

function Badge({ tone, testid, children }: { tone: keyof typeof TONE; testid: string; children: string }) {
  return (
    <span data-testid={testid} className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${TONE[tone]}`}>
      {children}
    </span>
  );
}

const KEY_TONE: Record<KmsImportJob["keyState"], keyof typeof TONE> = { Enabled: "good", PendingImport: "wait", Disabled: "idle", PendingDeletion: "bad", Unknown: "bad" };

export function KeyStateBadge({ state }: { state: KmsImportJob["keyState"] }) {
  const t = useT(kms);
  return (
    <Badge tone={KEY_TONE[state]} testid={`kms-key-state-${state}`}>
      {t(`keyState.${state}`)}
    </Badge>
  );
}

/** Material expiry: the date, and a reminder once it is near (the same window the reminders list uses). */
export function MaterialExpiry({ at, daysLeft }: { at: string | undefined; daysLeft: number | undefined }) {
  const t = useT(kms);
  if (!at || daysLeft === undefined) return <span className="text-xs text-slate-500">{t("expiry.never")}</span>;
  const words = daysLeft <= 0 ? t("expiry.lapsed") : daysLeft === 1 ? t("expiry.today") : t("expiry.inDays", { n: daysLeft });
  return (
    <span className="flex flex-wrap items-center gap-1 text-xs">
      <span className="font-mono">{at.slice(0, 10)}</span>
      {daysLeft <= DEFAULT_REMINDER_DAYS ? (
        <Badge tone={daysLeft <= 7 ? "bad" : "wait"} testid="material-reminder">
          {words}
        </Badge>
      ) : null}
    </span>
  );
}

/** The import token's remaining life, ticking each minute (it lasts 24 h from GetParametersForImport). */
export function TokenCountdown({ expiresAt }: { expiresAt: string | undefined }) {
  const t = useT(kms);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!expiresAt) return <span className="text-xs text-slate-500">{t("token.none")}</span>;
  const left = Math.floor((Date.parse(expiresAt) - now) / 60_000);
  return (
    <span data-testid="token-countdown" className="whitespace-nowrap text-xs">
      {left <= 0 ? t("token.expired") : t("token.left", { h: Math.floor(left / 60), m: left % 60 })}
    </span>
  );
}
