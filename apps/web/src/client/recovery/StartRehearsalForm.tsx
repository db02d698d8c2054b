"use client";

import { OPERATIONS } from "@keyward/shared";
import { useState } from "react";
import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import { emptyParticipant, participantProblems, toParticipant, type ParticipantDraft } from "./draft";
import { FormFoot, FormPanel } from "./FormParts";
import { ParticipantFields, type Choices } from "./ParticipantFields";
import { useStartRehearsal } from "./queries";
import { useFormState } from "./useFormState";

/** An administrator asks one custodian to rehearse: whose certificate, their bridge and key label, who approves. */
export function StartRehearsalForm({ choices }: { choices: Choices }) {
  const t = useT(recovery);
  const start = useStartRehearsal();
  const [draft, setDraft] = useState<ParticipantDraft>(emptyParticipant);
  const form = useFormState();
  const problems = participantProblems(draft);
  return (
    <FormPanel
      title={t("rehearse.title")}
      intro={t("rehearse.intro")}
      testId="rehearsal"
      onSubmit={form.submit(Object.keys(problems).length === 0, (accepted) =>
        start.mutate(toParticipant(draft), {
          onSuccess: () => {
            setDraft(emptyParticipant());
            accepted();
          },
        }),
      )}
    >
      <ParticipantFields
        value={draft}
        onChange={(field, value) => {
          setDraft((d) => ({ ...d, [field]: value }));
          form.edited(field);
        }}
        problems={problems}
        show={form.shown}
        choices={choices}
        prefix="rehearsal-"
      />
      <FormFoot action={OPERATIONS.downloadSecurityDomain} mutation={start} label={t("rehearse.start")} testId="start-rehearsal-submit" done={form.started ? t("rehearse.started") : undefined} />
    </FormPanel>
  );
}
