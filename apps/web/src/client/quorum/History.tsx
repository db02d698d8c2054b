"use client";

import type { PrincipalRef, QuorumRecord } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { Panel } from "../inventory/Panel";
import { CopyThumbprint } from "./CopyThumbprint";
import { useQuorumDates } from "./words";

const who = (p: PrincipalRef) => p.name ?? p.id;

/** Every change of holder and every review, newest first — the records the seed asks to keep. */
export function History({ record }: { record: QuorumRecord }) {
  const t = useT(quorum);
  const { time } = useQuorumDates();
  const shareOf = new Map(record.custodians.map((c) => [c.thumbprintSha256, c.shareNumber]));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel title={t("transfers.title")} testId="transfer-history">
        {record.transfers.length === 0 ? <p className="mt-1 text-sm text-slate-500">{t("transfers.none")}</p> : null}
        <ol className="mt-2 space-y-2" data-testid="transfer-list">
          {record.transfers.map((x) => {
            const share = shareOf.get(x.thumbprintSha256);
            return (
              <li key={x.seq} className="border-l-2 border-slate-300 pl-2 text-sm" data-testid="transfer-entry">
                <div className="text-xs text-slate-500">
                  {time(x.at)} · {share === undefined ? <CopyThumbprint value={x.thumbprintSha256} /> : t("shareN", { n: share })}
                </div>
                <div>
                  <span className="font-medium">{x.from.person}</span> → <span className="font-medium">{x.to.person}</span>
                  {x.to.location ? <span className="text-slate-600"> ({x.to.location})</span> : null}
                </div>
                <p className="whitespace-pre-line text-slate-700">{x.reason}</p>
                <div className="text-xs text-slate-500">
                  {t("transfers.approvedBy", { name: x.approvedBy })} · {t("transfers.recordedBy", { name: who(x.recordedBy) })}
                </div>
              </li>
            );
          })}
        </ol>
      </Panel>
      <Panel title={t("reviews.title")} testId="review-history">
        {record.reviews.length === 0 ? <p className="mt-1 text-sm text-slate-500">{t("reviews.none")}</p> : null}
        <ol className="mt-2 space-y-2" data-testid="review-list">
          {record.reviews.map((r) => (
            <li key={r.seq} className="border-l-2 border-slate-300 pl-2 text-sm" data-testid="review-entry">
              <div className="text-xs text-slate-500">
                {time(r.at)} · {t("reviews.by", { name: who(r.by) })}
              </div>
              {r.note ? <p className="whitespace-pre-line text-slate-700">{r.note}</p> : null}
            </li>
          ))}
        </ol>
      </Panel>
    </div>
  );
}
