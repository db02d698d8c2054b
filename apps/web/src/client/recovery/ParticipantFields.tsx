"use client";

import type { BridgeWithStatus, PrincipalEntry, QuorumCustodianView } from "@keyward/shared";
import { useId } from "react";
import { Field, inputClass } from "../ceremony/Field";
import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import type { ParticipantDraft, ParticipantField, RowProblems } from "./draft";
import { useProblemText } from "./words";

export interface Choices {
  custodians: readonly QuorumCustodianView[];
  bridges: readonly BridgeWithStatus[];
  /** Undefined when the signed-in principal may not list principals: the id is typed then. */
  principals: readonly PrincipalEntry[] | undefined;
}

const principalText = (p: PrincipalEntry) => [p.name, p.username && p.username !== p.name ? `(${p.username})` : ""].filter(Boolean).join(" ") || p.id;

/** The bridges as options of a <select>, after a "Choose…" that selects nothing. */
export function BridgeOptions({ bridges }: { bridges: readonly BridgeWithStatus[] }) {
  const t = useT(recovery);
  return (
    <>
      <option value="">{t("field.choose")}</option>
      {bridges.map((b) => (
        <option key={b.bridgeId} value={b.bridgeId}>
          {b.description ? `${b.bridgeId} · ${b.description}` : b.bridgeId}
        </option>
      ))}
    </>
  );
}

/**
 * One custodian named for a share: their certificate (from the quorum record), their bridge, the label of
 * their key in its token, and the principal who approves — picked from the known principals or typed.
 * Inputs are named `<prefix><field>` for tests.
 */
export function ParticipantFields({
  value,
  onChange,
  problems,
  show,
  choices,
  prefix,
}: {
  value: ParticipantDraft;
  onChange: (field: ParticipantField, value: string) => void;
  problems: RowProblems;
  show: (field: ParticipantField) => boolean;
  choices: Choices;
  prefix: string;
}) {
  const t = useT(recovery);
  const problemText = useProblemText();
  const listId = useId();
  const problem = (f: ParticipantField) => (show(f) ? problemText(problems[f]) : undefined);
  const change = (f: ParticipantField) => (e: { target: { value: string } }) => onChange(f, e.target.value);
  const id = value.principalId.trim();
  const known = choices.principals?.find((p) => p.id === id);
  const principalHint = known ? principalText(known) : id && choices.principals ? t("field.principalUnknown") : t("field.principalHint");
  return (
    <div className="grid gap-3 md:grid-cols-4">
      <Field name={`${prefix}certificate`} label={t("field.certificate")} problem={problem("thumbprintSha256")}>
        {(a) => (
          <select {...a} name={`${prefix}certificate`} value={value.thumbprintSha256} onChange={change("thumbprintSha256")} className={inputClass(a)}>
            <option value="">{t("field.choose")}</option>
            {choices.custodians.map((c) => (
              <option key={c.thumbprintSha256} value={c.thumbprintSha256}>
                {t("field.certificateOption", { n: c.shareNumber, name: c.person || c.commonName })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name={`${prefix}bridge`} label={t("field.bridge")} problem={problem("bridgeId")}>
        {(a) => (
          <select {...a} name={`${prefix}bridge`} value={value.bridgeId} onChange={change("bridgeId")} className={inputClass(a)}>
            <BridgeOptions bridges={choices.bridges} />
          </select>
        )}
      </Field>
      <Field name={`${prefix}keyLabel`} label={t("field.keyLabel")} hint={t("field.keyLabelHint")} problem={problem("keyLabel")}>
        {(a) => <input {...a} name={`${prefix}keyLabel`} value={value.keyLabel} onChange={change("keyLabel")} className={`${inputClass(a)} font-mono`} />}
      </Field>
      <Field name={`${prefix}principal`} label={t("field.principal")} hint={principalHint} problem={problem("principalId")}>
        {(a) => (
          <>
            <input {...a} name={`${prefix}principal`} list={listId} autoComplete="off" value={value.principalId} onChange={change("principalId")} className={`${inputClass(a)} font-mono`} />
            <datalist id={listId}>
              {choices.principals?.map((p) => (
                <option key={p.id} value={p.id}>
                  {principalText(p)}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>
    </div>
  );
}
