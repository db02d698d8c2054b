"use client";

import Link from "next/link";
import { ErrorNotice } from "../components/ErrorNotice";
import { CeremonyStateBadge } from "../ceremony/StateBadge";
import { HeadRow } from "../ceremony/HeadRow";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { kms } from "../i18n/messages/kms";
import { KeyStateBadge, MaterialExpiry, TokenCountdown } from "./badges";
import { useKmsImports, useKmsKeys, useKmsReminders } from "./queries";

const cell = "px-3 py-2";

/** `/kms-imports`: reminders of lapsing material, the jobs newest first, and every key of the KMS target. */
export function KmsImportList() {
  const t = useT(kms);
  const tc = useT(common);
  const q = useKmsImports();
  const reminders = useKmsReminders();
  const keys = useKmsKeys();
  const jobs = q.data?.jobs ?? [];
  const due = reminders.data?.reminders ?? [];
  return (
    <div className="space-y-6">
      <div className="flex items-start gap-4">
        <div>
          <h1 className="text-lg font-semibold">{t("list.title")}</h1>
          <p className="max-w-3xl text-sm text-slate-600">{t("list.intro")}</p>
        </div>
        <Link href="/kms-imports/new" data-testid="new-kms-import" className="ml-auto shrink-0 rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          {t("list.new")}
        </Link>
      </div>

      {reminders.data ? (
        <section data-testid="kms-reminders" aria-label={t("reminders.title", { days: reminders.data.withinDays })} className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <h2 className="font-medium text-amber-900">{t("reminders.title", { days: reminders.data.withinDays })}</h2>
          {due.length === 0 ? <p className="text-amber-900">{t("reminders.none", { days: reminders.data.withinDays })}</p> : null}
          <ul className="mt-1 space-y-1">
            {due.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <Link href={`/kms-imports/${encodeURIComponent(r.id)}`} className="font-mono text-xs underline">
                  {r.alias ?? r.keyId}
                </Link>
                <MaterialExpiry at={r.materialExpiresAt} daysLeft={r.daysLeft} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {q.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {q.error ? <ErrorNotice error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isSuccess && jobs.length === 0 ? <p className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600">{t("list.empty")}</p> : null}
      {jobs.length ? (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table data-testid="kms-import-list" className="w-full text-left text-sm">
            <HeadRow
              className="bg-slate-50 text-xs text-slate-500"
              cellClassName={cell}
              labels={[t("col.key"), t("col.alias"), t("col.state"), t("col.job"), t("col.algorithm"), t("col.token"), t("col.material")]}
            />
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-testid={`kms-import-row-${j.id}`} className="border-t border-slate-100 align-top">
                  <td className={`${cell} font-mono text-xs`}>
                    <Link href={`/kms-imports/${encodeURIComponent(j.id)}`} className="underline">
                      {j.keyId}
                    </Link>
                  </td>
                  <td className={`${cell} font-mono text-xs`}>{j.alias ?? ""}</td>
                  <td className={cell}>
                    <KeyStateBadge state={j.keyState} />
                  </td>
                  <td className={cell}>
                    <CeremonyStateBadge state={j.state} />
                  </td>
                  <td className={`${cell} font-mono text-xs`}>{j.algorithm}</td>
                  <td className={cell}>
                    <TokenCountdown expiresAt={j.tokenExpiresAt} />
                  </td>
                  <td className={cell}>
                    <MaterialExpiry at={j.materialExpiresAt} daysLeft={j.materialDaysLeft} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <section className="space-y-2">
        <h2 className="font-medium">{t("keys.title")}</h2>
        <p className="max-w-3xl text-sm text-slate-600">{t("keys.intro")}</p>
        {keys.error ? <ErrorNotice error={keys.error} onRetry={() => void keys.refetch()} /> : null}
        {keys.data && keys.data.keys.length === 0 ? <p className="text-sm text-slate-600">{t("keys.empty")}</p> : null}
        {keys.data?.keys.length ? (
          <div className="overflow-x-auto rounded border border-slate-200 bg-white">
            <table data-testid="kms-key-list" className="w-full text-left text-sm">
              <HeadRow className="bg-slate-50 text-xs text-slate-500" cellClassName={cell} labels={[t("col.key"), t("col.origin"), t("col.state"), t("col.material")]} />
              <tbody>
                {keys.data.keys.map((k) => (
                  <tr key={k.keyId} data-testid={`kms-key-${k.keyId}`} className="border-t border-slate-100">
                    <td className={`${cell} font-mono text-xs`}>{k.keyId}</td>
                    <td className={`${cell} text-xs`}>{k.origin === "EXTERNAL" ? t("origin.EXTERNAL") : t("origin.Aliyun_KMS")}</td>
                    <td className={cell}>
                      <KeyStateBadge state={k.keyState} />
                    </td>
                    <td className={`${cell} font-mono text-xs`}>{k.materialExpiresAt?.slice(0, 10) ?? t("expiry.never")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
