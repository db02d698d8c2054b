"use client";

import type { Ceremony } from "@keyward/shared";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { useResumeCeremony } from "../queries";

/** An interrupted ceremony says why and offers to continue where it stopped. */
export function ResumePanel({ c }: { c: Ceremony }) {
  const t = useT(ceremony);
  const resume = useResumeCeremony();
  return (
    <section data-testid="resume-panel" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <p role="status">{c.error ? t("view.interrupted", { reason: c.error }) : t("view.interruptedNoReason")}</p>
      <p className="mt-1 text-xs">{t("view.resumeHint")}</p>
      <button
        type="button"
        data-testid="resume-ceremony"
        onClick={() => resume.mutate(c.id)}
        disabled={resume.isPending}
        className="mt-2 rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
      >
        {resume.isPending ? t("view.resuming") : t("view.resume")}
      </button>
      {resume.error ? (
        <div className="mt-2">
          <ErrorNotice error={resume.error} />
        </div>
      ) : null}
    </section>
  );
}
