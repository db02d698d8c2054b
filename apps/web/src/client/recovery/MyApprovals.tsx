"use client";

import type { RecoveryView, RehearsalView } from "@keyward/shared";
import { useMe } from "../auth/useMe";
import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { Panel } from "../inventory/Panel";
import { ApprovalCard } from "./ApprovalCard";
import { ApprovalOutcome } from "./ApprovalOutcome";
import { approvedBy, awaitingApproval } from "./approvals";

/** The signed-in custodian's part: commands naming them that await their approval, and what came of those they approved. */
export function MyApprovals({ rehearsals, recoveries }: { rehearsals: readonly RehearsalView[]; recoveries: readonly RecoveryView[] }) {
  const t = useT(recovery);
  const me = useMe().data?.id;
  if (!me) return null;
  const awaiting = awaitingApproval(me, rehearsals, recoveries);
  const done = approvedBy(me, rehearsals, recoveries);
  return (
    <>
      <Panel title={t("awaiting.title")} testId="awaiting-approval">
        {awaiting.length ? (
          <div className="mt-2 space-y-3">
            {awaiting.map((item) => (
              <ApprovalCard key={item.key} item={item} />
            ))}
          </div>
        ) : (
          <p className="mt-1 text-sm text-slate-600">{t("awaiting.none")}</p>
        )}
      </Panel>
      {done.length ? (
        <Panel title={t("mine.title")} testId="my-approvals">
          <ul className="mt-1">
            {done.map((item) => (
              <ApprovalOutcome key={item.key} item={item} />
            ))}
          </ul>
        </Panel>
      ) : null}
    </>
  );
}
