"use client";

import type { CustodianPerson } from "@keyward/shared";
import { Field, inputClass } from "../ceremony/Field";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { PERSON_FIELDS, type PersonField, type Problem } from "./draft";
import { useProblemText } from "./words";

const LABEL = { person: "field.person", role: "field.role", contact: "field.contact", location: "field.location" } as const;
const HINT = { person: "field.personHint", location: "field.locationHint" } as const;

/** The four fields of a holder's record (the editor's, and a transfer's recipient), with their problems as you type. */
export function PersonFields({
  value,
  onChange,
  problems,
  show,
  prefix,
  hints = true,
}: {
  value: CustodianPerson;
  onChange: (field: PersonField, value: string) => void;
  problems: Partial<Record<PersonField, Problem>>;
  /** Whether a field's problem is shown yet (touched, or the form submitted). */
  show: (field: PersonField) => boolean;
  /** Names the inputs (`${prefix}person`…) for tests and autofill. */
  prefix: string;
  hints?: boolean;
}) {
  const t = useT(quorum);
  const problemText = useProblemText();
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {PERSON_FIELDS.map((field) => {
        const hint = hints && field in HINT ? t(HINT[field as keyof typeof HINT]) : undefined;
        return (
          <Field key={field} name={`${prefix}${field}`} label={t(LABEL[field])} hint={hint} problem={show(field) ? problemText(problems[field]) : undefined}>
            {(a) => <input {...a} name={`${prefix}${field}`} value={value[field]} onChange={(e) => onChange(field, e.target.value)} className={inputClass(a)} />}
          </Field>
        );
      })}
    </div>
  );
}
