"use client";

import { OPERATIONS, type QuorumRecord } from "@keyward/shared";
import { Fragment, useState } from "react";
import { HeadRow } from "../ceremony/HeadRow";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { ActionButton, buttonClass } from "../inventory/Permission";
import { CopyThumbprint } from "./CopyThumbprint";
import { CustodianEditor } from "./CustodianEditor";
import { useQuorumDates } from "./words";

const cell = "px-3 py-2";

/** One row a share: its holder's record, its certificate, and when its holder last passed a rehearsal. */
export function CustodianTable({ record }: { record: QuorumRecord }) {
  const t = useT(quorum);
  const { date } = useQuorumDates();
  const [editing, setEditing] = useState<string>();
  const now = Date.parse(record.now);
  const labels = [t("col.share"), t("col.person"), t("col.role"), t("col.contact"), t("col.location"), t("col.certificate"), t("col.expiry"), t("col.rehearsal"), ""];
  const text = (value: string) => (value ? value : <span className="text-slate-400">{t("unrecorded")}</span>);
  return (
    <section className="space-y-2">
      <h2 className="font-medium">{t("custodians.title")}</h2>
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table data-testid="custodian-table" className="w-full text-left text-sm">
          <HeadRow className="bg-slate-50 text-xs text-slate-500" cellClassName={cell} labels={labels} />
          <tbody>
            {record.custodians.map((c) => {
              const expired = Date.parse(c.notAfter) <= now;
              return (
                <Fragment key={c.thumbprintSha256}>
                  <tr data-testid={`custodian-row-${c.shareNumber}`} className="border-t border-slate-100 align-top">
                    <td className={`${cell} font-mono text-xs`}>{c.shareNumber}</td>
                    <td className={cell} data-testid="custodian-person">
                      {text(c.person)}
                    </td>
                    <td className={cell}>{text(c.role)}</td>
                    <td className={`${cell} break-all`}>{text(c.contact)}</td>
                    <td className={cell} data-testid="custodian-location">
                      {text(c.location)}
                    </td>
                    <td className={cell}>
                      <div className="text-xs">{c.commonName}</div>
                      <CopyThumbprint value={c.thumbprintSha256} testId={`thumbprint-${c.shareNumber}`} />
                    </td>
                    <td className={`${cell} whitespace-nowrap text-xs ${expired ? "font-medium text-red-700" : ""}`} title={c.notAfter}>
                      {date(c.notAfter)}
                      {expired ? ` (${t("expired")})` : ""}
                    </td>
                    <td className={`${cell} whitespace-nowrap text-xs`} title={c.lastRehearsalAt ?? undefined}>
                      {c.lastRehearsalAt ? date(c.lastRehearsalAt) : <span className="text-slate-400">{t("rehearsal.never")}</span>}
                    </td>
                    <td className={cell}>
                      <ActionButton
                        action={OPERATIONS.downloadSecurityDomain}
                        className={buttonClass.secondary}
                        onClick={() => setEditing(editing === c.thumbprintSha256 ? undefined : c.thumbprintSha256)}
                        data-testid={`edit-custodian-${c.shareNumber}`}
                      >
                        {t("edit")}
                      </ActionButton>
                    </td>
                  </tr>
                  {editing === c.thumbprintSha256 ? (
                    <tr>
                      <td colSpan={labels.length} className="px-3 pb-3">
                        <CustodianEditor custodian={c} onDone={() => setEditing(undefined)} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
