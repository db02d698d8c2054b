"use client";

import type { CeremonyProgress } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";

/**
 * Proven keys in green, failed in red, keys part-way (generated, wrapped, imported) in blue: one bar for
 * a single key or a thousand. The numbers are written out too; the colours only repeat them.
 */
export function ProgressBar({ progress, compact = false }: { progress: CeremonyProgress; compact?: boolean }) {
  const t = useT(ceremony);
  const { total, proven, failed } = progress;
  const moving = progress.generated + progress.wrapped + progress.imported;
  const pct = (n: number) => (total ? (100 * n) / total : 0);
  return (
    <div className={compact ? "min-w-32" : ""}>
      <div
        role="progressbar"
        aria-label={t("progress.label")}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={proven}
        aria-valuetext={t("progress.counts", { proven, total })}
        data-testid="ceremony-progress"
        className={`flex w-full overflow-hidden rounded bg-slate-200 ${compact ? "h-1.5" : "h-3"}`}
      >
        <div className="bg-emerald-600 transition-[width]" style={{ width: `${pct(proven)}%` }} />
        <div className="bg-sky-500 transition-[width]" style={{ width: `${pct(moving)}%` }} />
        <div className="bg-red-600 transition-[width]" style={{ width: `${pct(failed)}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {t("progress.counts", { proven, total })}
        {failed ? <span className="ml-2 text-red-700">{t("progress.failed", { failed })}</span> : null}
      </p>
    </div>
  );
}
