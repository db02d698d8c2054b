"use client";

import Link from "next/link";
import { ApiError } from "../../api/errors";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { common } from "../../i18n/messages/common";
import { ceremony } from "../../i18n/messages/ceremony";
import { ProgressBar } from "../ProgressBar";
import { useCeremony } from "../queries";
import { CeremonyStateBadge } from "../StateBadge";
import { AirGappedPanel } from "./AirGappedPanel";
import { CeremonyRecord } from "./CeremonyRecord";
import { ResumePanel } from "./ResumePanel";
import { TargetTable } from "./TargetTable";

/**
 * `/ceremonies/[id]`: everything comes from the server's record, polled while the ceremony runs, so a
 * reload (or another custodian's browser) shows exactly the same progress.
 */
export function CeremonyView({ id }: { id: string }) {
  const t = useT(ceremony);
  const tc = useT(common);
  const q = useCeremony(id);
  const c = q.data;
  return (
    <div className="space-y-4">
      <Link href="/ceremonies" className="text-xs text-slate-600 underline">
        {t("view.back")}
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-lg font-semibold">{t("view.title", { id })}</h1>
        {c ? <CeremonyStateBadge state={c.state} /> : null}
        {c?.state === "running" ? (
          <span role="status" className="text-xs text-slate-500">
            {t("view.polling")}
          </span>
        ) : null}
      </div>
      {q.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {q.error instanceof ApiError && q.error.status === 404 ? (
        <p role="alert" className="text-sm text-slate-700">
          {t("view.notFound", { id })}
        </p>
      ) : q.error ? (
        <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />
      ) : null}
      {c ? (
        <>
          <ProgressBar progress={c.progress} />
          {c.state === "interrupted" ? <ResumePanel c={c} /> : null}
          {c.state === "awaiting-file" && c.airGapped ? <AirGappedPanel id={c.id} step={c.airGapped} /> : null}
          {c.state === "failed" && c.error ? (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
              {t("result.error", { error: c.error })}
            </p>
          ) : null}
          <TargetTable targets={c.targets} />
          <CeremonyRecord c={c} />
        </>
      ) : null}
    </div>
  );
}
