"use client";

import type { CustodianPerson, QuorumCustodianView } from "@keyward/shared";
import { useState } from "react";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { personProblems, type PersonField } from "./draft";
import { PersonFields } from "./PersonFields";
import { useUpdateCustodian } from "./queries";
import { SubmitRow } from "./SubmitRow";

/** Correct the record of a share's holder: name, role, contact, where the key is kept. */
export function CustodianEditor({ custodian, onDone }: { custodian: QuorumCustodianView; onDone: () => void }) {
  const t = useT(quorum);
  const save = useUpdateCustodian();
  const [draft, setDraft] = useState<CustodianPerson>({ person: custodian.person, role: custodian.role, contact: custodian.contact, location: custodian.location });
  const [touched, setTouched] = useState<Partial<Record<PersonField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const problems = personProblems(draft);
  const edit = (field: PersonField, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setTouched((s) => ({ ...s, [field]: true }));
  };
  return (
    <form
      noValidate
      data-testid={`custodian-editor-${custodian.shareNumber}`}
      className="space-y-3 rounded border border-slate-200 bg-slate-50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(problems).length) return;
        save.mutate({ thumbprint: custodian.thumbprintSha256, person: draft }, { onSuccess: onDone });
      }}
    >
      <h3 className="text-sm font-semibold">{t("edit.title", { share: custodian.shareNumber })}</h3>
      <PersonFields value={draft} onChange={edit} problems={problems} show={(f) => Boolean(touched[f] || submitted)} prefix="" />
      <SubmitRow save={save} label={t("edit.save")} testId="save-custodian" onCancel={onDone} />
    </form>
  );
}
