"use client";

import { useEffect, useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { useLocale, useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { buttonClass } from "../inventory/Permission";
import { formatTime } from "../inventory/format";
import { CopyThumbprint } from "../quorum/CopyThumbprint";
import type { Approval } from "./approvals";
import { checkCommand, type CommandCheck } from "./command-hash";
import { useApproveRehearsal, useApproveShare } from "./queries";

/** The command's hash as this browser computes it from the text shown, next to the one the portal lists. */
function useCommandCheck(command: string, listedSha256: string): CommandCheck {
  const [check, setCheck] = useState<CommandCheck>({ state: "checking" });
  useEffect(() => {
    let live = true;
    setCheck({ state: "checking" });
    void checkCommand(command, listedSha256).then((c) => live && setCheck(c));
    return () => {
      live = false;
    };
  }, [command, listedSha256]);
  return check;
}

/**
 * One command awaiting the signed-in custodian: the exact text their bridge will run, its SHA-256, what
 * approving does in words, and the approval — which sends the hash this browser computed from that text.
 */
export function ApprovalCard({ item }: { item: Approval }) {
  const t = useT(recovery);
  const { locale } = useLocale();
  const approveRehearsal = useApproveRehearsal();
  const approveShare = useApproveShare();
  const record = item.kind === "rehearsal" ? item.rehearsal : item.recovery;
  const view = item.kind === "rehearsal" ? item.rehearsal : item.participant;
  const check = useCommandCheck(view.command, view.commandSha256);
  const mutation = item.kind === "rehearsal" ? approveRehearsal : approveShare;
  const approve = () => {
    if (check.state !== "matches") return;
    if (item.kind === "rehearsal") approveRehearsal.mutate({ id: item.rehearsal.id, commandSha256: check.sha256 });
    else approveShare.mutate({ id: item.recovery.id, thumbprintSha256: item.participant.thumbprintSha256, commandSha256: check.sha256 });
  };
  const does =
    item.kind === "rehearsal"
      ? t("does.rehearsal", { bridge: view.bridgeId, label: view.keyLabel })
      : t("does.share", { bridge: view.bridgeId, label: view.keyLabel, recovery: item.recovery.recoveryBridgeId, m: item.recovery.required });
  return (
    <article data-testid={`awaiting-${item.key}`} className="space-y-2 rounded border border-amber-300 bg-white p-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="text-sm font-semibold">{t(`kind.${item.kind}`)}</h3>
        <span className="text-xs text-slate-600">{t("card.requested", { name: record.createdBy.name ?? record.createdBy.id, date: formatTime(record.createdAt, locale) })}</span>
        <span className="text-xs text-slate-600">
          {t("card.certificate")}: <CopyThumbprint value={view.thumbprintSha256} />
        </span>
      </div>
      <p data-testid="approval-does" className="max-w-4xl text-sm text-slate-800">
        {does}
      </p>
      <div>
        <p className="text-xs font-medium text-slate-700">{t("card.command")}</p>
        <pre data-testid="approval-command" className="mt-0.5 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs">
          {view.command}
        </pre>
      </div>
      <div className="text-xs">
        <span className="font-medium text-slate-700">{t("card.sha")}: </span>
        <code data-testid="approval-sha" className="break-all font-mono">
          {view.commandSha256}
        </code>
        <p data-testid="approval-check" data-check={check.state} className={check.state === "differs" ? "mt-0.5 text-red-700" : "mt-0.5 text-slate-500"}>
          {check.state === "checking" ? t("card.checking") : check.state === "matches" ? t("card.matches") : t("card.differs", { sha: check.sha256 })}
        </p>
      </div>
      {mutation.error ? <ErrorNotice error={mutation.error} /> : null}
      <button type="button" data-testid="approve-command" className={buttonClass.primary} disabled={check.state !== "matches" || mutation.isPending} onClick={approve}>
        {mutation.isPending ? t("approving") : t("approve")}
      </button>
    </article>
  );
}
