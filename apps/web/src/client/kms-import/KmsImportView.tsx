"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { KMS_IMPORT_STEPS, type KmsImportJob } from "@keyward/shared";
import { ErrorNotice } from "../components/ErrorNotice";
import { CeremonyStateBadge } from "../ceremony/StateBadge";
import { useDateText } from "../ceremony/words";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { kms } from "../i18n/messages/kms";
import { KeyStateBadge, MaterialExpiry, TokenCountdown } from "./badges";
import { useKmsImport, useReimport, useResumeImport } from "./queries";

function Steps({ job }: { job: KmsImportJob }) {
  const t = useT(kms);
  const reached = KMS_IMPORT_STEPS.indexOf(job.step);
  return (
    <ol data-testid="kms-import-steps" className="flex flex-wrap gap-2 text-xs">
      {KMS_IMPORT_STEPS.map((s, i) => (
        <li key={s} data-testid={`kms-step-${s}`} data-done={i <= reached} className={`rounded border px-2 py-1 ${i <= reached ? "border-emerald-300 bg-emerald-50 text-emerald-800" : "border-slate-200 text-slate-500"}`}>
          {i <= reached ? "✓ " : ""}
          {t(`step.${s}`)}
        </li>
      ))}
    </ol>
  );
}

/** `/kms-imports/[id]`: the job's steps and record, with re-import once the key's material is gone. */
export function KmsImportView({ id }: { id: string }) {
  const t = useT(kms);
  const tc = useT(common);
  const date = useDateText();
  const q = useKmsImport(id);
  const reimport = useReimport();
  const resume = useResumeImport();
  if (q.isPending) return <p className="text-sm text-slate-600">{tc("loading")}</p>;
  if (q.error) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />;
  const j = q.data;
  const row = (label: string, value: ReactNode, testid?: string) => (
    <div className="grid grid-cols-[14rem_1fr] gap-2 border-t border-slate-100 py-1.5">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm" data-testid={testid}>
        {value}
      </dd>
    </div>
  );
  return (
    <div className="max-w-4xl space-y-4">
      <Link href="/kms-imports" className="text-sm underline">
        {t("job.back")}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="font-mono text-lg font-semibold">{t("job.title", { id: j.id })}</h1>
        <CeremonyStateBadge state={j.state} />
        <KeyStateBadge state={j.keyState} />
      </div>
      {j.warnings.map((w) => (
        <p key={w} role="note" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {w}
        </p>
      ))}
      {j.error ? (
        <div role="alert" data-testid="kms-import-error" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">{t("job.error")}</p>
          <p>{j.error}</p>
        </div>
      ) : null}
      <section>
        <h2 className="mb-1 text-sm font-semibold">{t("job.steps")}</h2>
        <Steps job={j} />
      </section>
      {j.canReimport ? (
        <section className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="text-amber-900">{t("job.reimportHint")}</p>
          <button
            type="button"
            data-testid="kms-reimport"
            disabled={reimport.isPending}
            onClick={() => reimport.mutate(j.id)}
            className="mt-2 rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-50"
          >
            {reimport.isPending ? t("job.reimporting") : t("job.reimport")}
          </button>
          {reimport.error ? <ErrorNotice error={reimport.error} /> : null}
        </section>
      ) : null}
      {j.state === "interrupted" ? (
        <div>
          <button type="button" data-testid="kms-resume" onClick={() => resume.mutate(j.id)} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-sky-500">
            {t("job.resume")}
          </button>
          {resume.error ? <ErrorNotice error={resume.error} /> : null}
        </div>
      ) : null}
      <section>
        <h2 className="mb-1 text-sm font-semibold">{t("job.record")}</h2>
        <dl data-testid="kms-import-record">
          {row(t("col.key"), <span className="font-mono">{j.keyId}</span>, "kms-import-key")}
          {j.alias ? row(t("col.alias"), <span className="font-mono">{j.alias}</span>) : null}
          {row(t("col.origin"), j.origin === "EXTERNAL" ? t("origin.EXTERNAL") : (j.origin ?? "—"))}
          {row(t("job.bridge"), <span className="font-mono">{j.bridgeId}</span>)}
          {row(t("job.hsmKey"), <span className="font-mono">{j.hsmKey.label}</span>)}
          {row(t("col.algorithm"), <span className="font-mono">{j.algorithm}</span>)}
          {row(t("job.kcv"), <span className="font-mono">{j.kcv ?? "—"}</span>, "kms-import-kcv")}
          {row(t("col.token"), <TokenCountdown expiresAt={j.tokenExpiresAt} />)}
          {row(t("col.material"), <MaterialExpiry at={j.materialExpiresAt} daysLeft={j.materialDaysLeft} />, "kms-import-material")}
          {j.materialExpiresInDays ? row(t("wizard.expiry"), t("job.materialPolicy", { n: j.materialExpiresInDays })) : null}
          {row(t("job.imports"), String(j.imports), "kms-import-count")}
          {j.importedAt ? row(t("job.importedAt"), date(j.importedAt)) : null}
          {row(t("job.createdBy"), `${j.createdBy.name ?? j.createdBy.id}, ${date(j.createdAt)}`)}
        </dl>
      </section>
    </div>
  );
}
