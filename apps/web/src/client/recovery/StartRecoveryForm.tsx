"use client";

import { OPERATIONS } from "@keyward/shared";
import { useState } from "react";
import { Field, inputClass } from "../ceremony/Field";
import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { buttonClass } from "../inventory/Permission";
import { emptyParticipant, hasRecoveryProblems, recoveryProblems, toRecoveryRequest, type ParticipantDraft, type ParticipantField } from "./draft";
import { FormFoot, FormPanel } from "./FormParts";
import { BridgeOptions, ParticipantFields, type Choices } from "./ParticipantFields";
import { useStartRecovery } from "./queries";
import { useFormState } from "./useFormState";
import { useProblemText } from "./words";

const rows = (n: number): ParticipantDraft[] => Array.from({ length: n }, () => emptyParticipant());

/**
 * An administrator starts a recovery: the recovery bridge (the one machine that will combine the
 * shares) and at least m custodians, one row each; more rows, up to n, for custodians who may not answer.
 */
export function StartRecoveryForm({ choices, required }: { choices: Choices; required: number }) {
  const t = useT(recovery);
  const problemText = useProblemText();
  const start = useStartRecovery();
  const [bridge, setBridge] = useState("");
  const [participants, setParticipants] = useState(() => rows(required));
  const form = useFormState();
  const draft = { recoveryBridgeId: bridge, participants };
  const problems = recoveryProblems(draft, required);
  const setRow = (i: number, field: ParticipantField, value: string) => {
    setParticipants((list) => list.map((p, j) => (j === i ? { ...p, [field]: value } : p)));
    form.edited(`${i}.${field}`);
  };
  return (
    <FormPanel
      title={t("recover.title")}
      intro={t("recover.intro", { m: required })}
      testId="recovery"
      onSubmit={form.submit(!hasRecoveryProblems(problems), (accepted) =>
        start.mutate(toRecoveryRequest(draft), {
          onSuccess: () => {
            setBridge("");
            setParticipants(rows(required));
            accepted();
          },
        }),
      )}
    >
      <div className="max-w-sm">
        <Field name="recovery-bridge" label={t("recover.bridge")} problem={form.shown("bridge") ? problemText(problems.recoveryBridgeId) : undefined}>
          {(a) => (
            <select
              {...a}
              name="recovery-bridge"
              value={bridge}
              onChange={(e) => {
                setBridge(e.target.value);
                form.edited("bridge");
              }}
              className={inputClass(a)}
            >
              <BridgeOptions bridges={choices.bridges} />
            </select>
          )}
        </Field>
      </div>
      <fieldset className="space-y-3">
        <legend className="text-xs font-semibold text-slate-700">{t("recover.custodians", { m: required })}</legend>
        {participants.map((p, i) => (
          <div key={i} data-testid={`recovery-row-${i}`} className="flex items-start gap-2 border-t border-slate-100 pt-2">
            <div className="flex-1">
              <ParticipantFields
                value={p}
                onChange={(field, value) => setRow(i, field, value)}
                problems={problems.rows[i] ?? {}}
                show={(f) => form.shown(`${i}.${f}`)}
                choices={choices}
                prefix={`row-${i}-`}
              />
            </div>
            {participants.length > required ? (
              <button type="button" className={`${buttonClass.secondary} mt-4`} onClick={() => setParticipants((list) => list.filter((_, j) => j !== i))}>
                {t("recover.remove")}
              </button>
            ) : null}
          </div>
        ))}
        {form.shown("count") && problems.count ? <p className="text-xs text-red-700">{problemText(problems.count)}</p> : null}
        {participants.length < choices.custodians.length ? (
          <button type="button" className={buttonClass.secondary} onClick={() => setParticipants((list) => [...list, emptyParticipant()])}>
            {t("recover.add")}
          </button>
        ) : null}
      </fieldset>
      <FormFoot action={OPERATIONS.uploadSecurityDomain} mutation={start} label={t("recover.start")} testId="start-recovery-submit" done={form.started ? t("recover.started") : undefined} />
    </FormPanel>
  );
}
