"use client";

import { useLocale, useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { formatTime } from "../inventory/format";
import { recoveryProgress, type Approval } from "./approvals";
import { StateBadge } from "./StateBadge";

/** What came of an approval: a rehearsal passed or failed (and why), a share in and how far its recovery got. */
export function ApprovalOutcome({ item }: { item: Approval }) {
  const t = useT(recovery);
  const { locale } = useLocale();
  const error = item.kind === "rehearsal" ? item.rehearsal.error : item.recovery.error;
  return (
    <li data-testid={`approved-${item.key}`} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-t border-slate-100 py-2 text-sm first:border-t-0">
      <span className="font-medium">{t(`kind.${item.kind}`)}</span>
      <span className="text-xs text-slate-600">{t("approved.at", { date: formatTime(item.at, locale) })}</span>
      {item.kind === "rehearsal" ? (
        <StateBadge state={`rehearsal.${item.rehearsal.state}`} />
      ) : (
        <>
          {item.participant.shareNumber !== null ? <span className="text-xs">{t("approved.share", { n: item.participant.shareNumber })}</span> : null}
          <span className="text-xs" data-testid="recovery-progress">
            {t("progress", { k: recoveryProgress(item.recovery).approved, m: item.recovery.required })}
          </span>
          <StateBadge state={`recovery.${item.recovery.state}`} />
        </>
      )}
      {error ? (
        <span role="alert" className="basis-full text-xs text-red-700">
          {t("error", { error })}
        </span>
      ) : null}
    </li>
  );
}
