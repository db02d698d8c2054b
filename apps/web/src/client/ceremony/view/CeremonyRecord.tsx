"use client";

import type { ReactNode } from "react";
import type { Ceremony } from "@keyward/shared";
import { Thumbprint } from "../../bridges/Thumbprint";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { useDateText } from "../words";

/** Who, when, with which bridge and KEK, and how it ended: the record kept as evidence of the ceremony. */
export function CeremonyRecord({ c }: { c: Ceremony }) {
  const t = useT(ceremony);
  const date = useDateText();
  const p = c.progress;
  const result = {
    completed: () => t("result.completed", { total: p.total }),
    failed: () => t("result.failed", { failed: p.failed, total: p.total, proven: p.proven }),
    interrupted: () => t("result.interrupted", { proven: p.proven, total: p.total }),
    "awaiting-file": () => t("state.awaiting-file"),
    running: () => t("result.running"),
  }[c.state]();
  const row = (label: string, value: ReactNode, testid?: string) => (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd data-testid={testid} className="min-w-0 break-words">
        {value}
      </dd>
    </>
  );
  return (
    <section aria-labelledby="ceremony-record" className="rounded border border-slate-200 bg-white p-4">
      <h2 id="ceremony-record" className="mb-2 text-sm font-semibold">
        {t("view.record")}
      </h2>
      <dl data-testid="ceremony-record" className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
        {row(t("rec.by"), c.createdBy.name ? `${c.createdBy.name} (${c.createdBy.id})` : c.createdBy.id, "record-by")}
        {row(t("rec.at"), date(c.createdAt))}
        {row(t("rec.updated"), date(c.updatedAt))}
        {c.finishedAt ? row(t("rec.finished"), date(c.finishedAt)) : null}
        {row(t("rec.mode"), t(`mode.${c.mode}`))}
        {row(t("rec.bridge"), <span className="font-mono">{`${c.bridge.bridgeId} — ${c.bridge.url}`}</span>, "record-bridge")}
        {row(t("rec.thumbprint"), <Thumbprint value={c.bridge.thumbprint} />)}
        {row(
          t("rec.kek"),
          c.kek.created ? t("rec.kekCreated", { name: c.kek.name, size: c.kek.size ?? "?" }) : t("rec.kekExisting", { name: c.kek.name }),
          "record-kek",
        )}
        {c.kek.kid ? row(t("rec.kid"), <span className="break-all font-mono">{c.kek.kid}</span>) : null}
        {row(
          t("rec.result"),
          <>
            {result}
            {c.error ? <span className="block text-red-800">{t(c.state === "interrupted" ? "result.reason" : "result.error", { error: c.error })}</span> : null}
          </>,
          "record-result",
        )}
      </dl>
    </section>
  );
}
