"use client";

import { OPERATIONS, type RecoveryView, type RehearsalView } from "@keyward/shared";
import type { ReactNode } from "react";
import { useMe } from "../auth/useMe";
import { HeadRow } from "../ceremony/HeadRow";
import { ErrorNotice } from "../components/ErrorNotice";
import { useLocale, useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { formatTime } from "../inventory/format";
import { ActionButton, buttonClass } from "../inventory/Permission";
import { Panel } from "../inventory/Panel";
import { CopyThumbprint } from "../quorum/CopyThumbprint";
import { recoveryProgress } from "./approvals";
import { useCompleteRecovery, usePrincipals } from "./queries";
import { StateBadge } from "./StateBadge";

const cell = "px-3 py-2";
const RECENT = 20;

/** A principal id with its name when the portal knows it: the signed-in principal's own, or any to those who may list principals. */
function usePrincipalName() {
  const principals = usePrincipals();
  const me = useMe().data;
  return (id: string) => (id === me?.id ? me.name : undefined) ?? principals.data?.find((p) => p.id === id)?.name ?? id;
}

/** A titled list of recent records, or the words for none. */
function Recent({ kind, labels, count, children }: { kind: "rehearsal" | "recovery"; labels: string[]; count: number; children: ReactNode }) {
  const t = useT(recovery);
  const plural = kind === "rehearsal" ? "rehearsals" : "recoveries";
  return (
    <Panel title={t(`${plural}.title`)} testId={`${kind}-list`}>
      {count === 0 ? (
        <p className="mt-1 text-sm text-slate-600">{t(`${plural}.empty`)}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table data-testid={`${kind}-table`} className="w-full text-left text-sm">
            <HeadRow className="bg-slate-50 text-xs text-slate-500" cellClassName={cell} labels={labels} />
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

/** When and by whom a record was started: the first two cells of each row. */
function Started({ record }: { record: { createdAt: number; createdBy: { id: string; name?: string | undefined } } }) {
  const { locale } = useLocale();
  return (
    <>
      <td className={`${cell} whitespace-nowrap text-xs`}>{formatTime(record.createdAt, locale)}</td>
      <td className={`${cell} text-xs`}>{record.createdBy.name ?? record.createdBy.id}</td>
    </>
  );
}

function Failure({ error }: { error: string | null }) {
  const t = useT(recovery);
  return error ? <p className="mt-1 max-w-md text-xs text-red-700">{t("error", { error })}</p> : null;
}

export function RehearsalList({ rehearsals }: { rehearsals: readonly RehearsalView[] }) {
  const t = useT(recovery);
  const name = usePrincipalName();
  return (
    <Recent
      kind="rehearsal"
      labels={[t("col.started"), t("col.by"), t("col.certificate"), t("col.custodian"), t("col.bridge"), t("col.state")]}
      count={rehearsals.length}
    >
      {rehearsals.slice(0, RECENT).map((r) => (
        <tr key={r.id} data-testid={`rehearsal-row-${r.id}`} className="border-t border-slate-100 align-top">
          <Started record={r} />
          <td className={cell}>
            <CopyThumbprint value={r.thumbprintSha256} />
          </td>
          <td className={`${cell} break-all text-xs`}>{name(r.principalId)}</td>
          <td className={`${cell} font-mono text-xs`}>
            {r.bridgeId} · {r.keyLabel}
          </td>
          <td className={cell}>
            <StateBadge state={`rehearsal.${r.state}`} />
            <Failure error={r.error} />
          </td>
        </tr>
      ))}
    </Recent>
  );
}

export function RecoveryList({ recoveries }: { recoveries: readonly RecoveryView[] }) {
  const t = useT(recovery);
  const name = usePrincipalName();
  const complete = useCompleteRecovery();
  return (
    <>
      {complete.error ? <ErrorNotice error={complete.error} /> : null}
      <Recent
        kind="recovery"
        labels={[t("col.started"), t("col.by"), t("col.recoveryBridge"), t("col.custodian"), t("col.progress"), t("col.state")]}
        count={recoveries.length}
      >
        {recoveries.slice(0, RECENT).map((r) => (
          <tr key={r.id} data-testid={`recovery-row-${r.id}`} className="border-t border-slate-100 align-top">
            <Started record={r} />
            <td className={`${cell} font-mono text-xs`}>{r.recoveryBridgeId}</td>
            <td className={`${cell} text-xs`}>
              {r.participants.map((p) => (
                <div key={p.thumbprintSha256} className="break-all">
                  {p.approvedAt === null ? "○" : "●"} {name(p.principalId)} · <span className="font-mono">{p.bridgeId}</span>
                </div>
              ))}
            </td>
            <td className={`${cell} whitespace-nowrap text-xs`}>{t("progress", { k: recoveryProgress(r).approved, m: r.required })}</td>
            <td className={cell}>
              <StateBadge state={`recovery.${r.state}`} />
              <Failure error={r.error} />
              {r.state === "combining" ? (
                <div className="mt-1">
                  <ActionButton action={OPERATIONS.uploadSecurityDomain} className={buttonClass.secondary} disabled={complete.isPending} onClick={() => complete.mutate(r.id)}>
                    {t("recover.complete")}
                  </ActionButton>
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </Recent>
    </>
  );
}
