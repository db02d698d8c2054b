"use client";

import type { QuorumRecord } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { useWarningText } from "./words";

/** The findings about the custodian set, forbidden ones first and in red; which shares each concerns. */
export function Warnings({ record }: { record: QuorumRecord }) {
  const t = useT(quorum);
  const text = useWarningText();
  const shareOf = new Map(record.custodians.map((c) => [c.thumbprintSha256, c.shareNumber]));
  if (record.warnings.length === 0) {
    return (
      <p data-testid="quorum-warnings-none" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">
        {t("warnings.none")}
      </p>
    );
  }
  return (
    <section aria-label={t("warnings.title")} data-testid="quorum-warnings" className="space-y-2">
      <h2 className="font-medium">{t("warnings.title")}</h2>
      <ul className="space-y-1.5">
        {record.warnings.map((w, i) => (
          <li
            key={`${w.code}-${i}`}
            role={w.severity === "error" ? "alert" : undefined}
            data-testid={`quorum-warning-${w.code}`}
            data-severity={w.severity}
            className={`rounded border p-2 text-sm ${w.severity === "error" ? "border-red-400 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
          >
            <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${w.severity === "error" ? "bg-red-700 text-white" : "bg-amber-600 text-white"}`}>{t(w.severity === "error" ? "severity.error" : "severity.warning")}</span>
            {text(w)}
            {w.thumbprints.length ? (
              <span className="ml-2 text-xs opacity-80">{t("warnings.shares", { shares: w.thumbprints.map((tp) => shareOf.get(tp) ?? "?").join(", ") })}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
