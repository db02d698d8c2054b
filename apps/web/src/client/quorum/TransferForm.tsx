"use client";

import type { CustodianPerson, QuorumRecord } from "@keyward/shared";
import { useState } from "react";
import { Field, inputClass } from "../ceremony/Field";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { Panel } from "../inventory/Panel";
import { transferProblems, type TransferField } from "./draft";
import { PersonFields } from "./PersonFields";
import { useRecordTransfer } from "./queries";
import { SubmitRow } from "./SubmitRow";
import { useProblemText } from "./words";

const NOBODY: CustodianPerson = { person: "", role: "", contact: "", location: "" };

/**
 * A change of holder: which share, from whom (the holder recorded now, sent along so that a record
 * changed meanwhile is refused rather than overwritten), to whom, why and who approved.
 */
export function TransferForm({ record }: { record: QuorumRecord }) {
  const t = useT(quorum);
  const problemText = useProblemText();
  const save = useRecordTransfer();
  const [thumbprint, setThumbprint] = useState(record.custodians[0]?.thumbprintSha256 ?? "");
  const [to, setTo] = useState<CustodianPerson>(NOBODY);
  const [reason, setReason] = useState("");
  const [approvedBy, setApprovedBy] = useState("");
  const [touched, setTouched] = useState<Partial<Record<TransferField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(false);
  const from = record.custodians.find((c) => c.thumbprintSha256 === thumbprint)?.person ?? "";
  const problems = transferProblems({ from, to, reason, approvedBy });
  const show = (f: TransferField) => (touched[f] || submitted ? problemText(problems[f]) : undefined);
  const touch = (f: TransferField) => {
    setTouched((s) => ({ ...s, [f]: true }));
    setSaved(false);
  };
  /** An input's change: the new value, and the field marked as edited (its problems show from now on). */
  const typed = (f: TransferField, set: (value: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    touch(f);
  };

  return (
    <Panel title={t("transfer.title")} testId="quorum-transfer">
      <p className="mt-1 max-w-3xl text-xs text-slate-600">{t("transfer.intro")}</p>
      <form
        noValidate
        data-testid="transfer-form"
        className="mt-3 space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(problems).length) return;
          save.mutate(
            { thumbprintSha256: thumbprint, from, to, reason, approvedBy },
            {
              onSuccess: () => {
                setTo(NOBODY);
                setReason("");
                setApprovedBy("");
                setTouched({});
                setSubmitted(false);
                setSaved(true);
              },
            },
          );
        }}
      >
        <div className="grid gap-3 md:grid-cols-2">
          <Field name="transfer-share" label={t("transfer.share")} problem={undefined}>
            {(a) => (
              <select {...a} name="share" value={thumbprint} onChange={typed("from", setThumbprint)} className={inputClass(a)}>
                {record.custodians.map((c) => (
                  <option key={c.thumbprintSha256} value={c.thumbprintSha256}>
                    {t("shareN", { n: c.shareNumber })} · {c.commonName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="transfer-from" label={t("transfer.from")} problem={show("from")}>
            {(a) => <input {...a} name="from" value={from || t("unrecorded")} readOnly className={`${inputClass(a)} bg-slate-50 text-slate-700`} />}
          </Field>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-xs font-semibold text-slate-700">{t("transfer.to")}</legend>
          <PersonFields
            value={to}
            onChange={(field, value) => {
              setTo((d) => ({ ...d, [field]: value }));
              touch(field);
            }}
            problems={problems}
            show={(f) => Boolean(touched[f] || submitted)}
            prefix="to-"
            hints={false}
          />
        </fieldset>
        <div className="grid gap-3 md:grid-cols-2">
          <Field name="transfer-reason" label={t("transfer.reason")} problem={show("reason")}>
            {(a) => <textarea {...a} name="reason" rows={2} value={reason} onChange={typed("reason", setReason)} className={inputClass(a)} />}
          </Field>
          <Field name="transfer-approvedBy" label={t("transfer.approvedBy")} problem={show("approvedBy")}>
            {(a) => <input {...a} name="approvedBy" value={approvedBy} onChange={typed("approvedBy", setApprovedBy)} className={inputClass(a)} />}
          </Field>
        </div>
        <SubmitRow save={save} label={t("transfer.save")} testId="save-transfer" savedText={saved ? t("transfer.saved") : undefined} />
      </form>
    </Panel>
  );
}
