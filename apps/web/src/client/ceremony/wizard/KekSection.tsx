"use client";

import { useId } from "react";
import { RSA_SIZES, type RsaSize } from "@keyward/shared";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Field, inputClass } from "../Field";
import type { KekVerdict } from "../target-keys";
import type { Problem, WizardState } from "../wizard-model";
import { useProblemText } from "./Problems";
import { Choice, Section } from "./Section";

/** Create an import-only KEK or reuse one; the reason it is import-only is said, not assumed. */
export function KekSection(props: {
  state: WizardState;
  set: (patch: Partial<WizardState>) => void;
  problems: Problem[] | undefined;
  serverError: unknown;
  verdict: { checking: boolean; value: KekVerdict | undefined };
  suggestions: string[];
}) {
  const t = useT(ceremony);
  const words = useProblemText();
  const listId = useId();
  const { state: s, set } = props;
  const existing = s.kekKind === "existing";
  return (
    <Section title={t("wizard.step.kek")} testid="wizard-kek">
      <div role="radiogroup" aria-label={t("wizard.step.kek")} className="grid gap-2 md:grid-cols-2">
        <Choice name="kek-kind" value="create" checked={!existing} onChange={() => set({ kekKind: "create" })} testid="kek-create" label={t("wizard.kek.create")} />
        <Choice name="kek-kind" value="existing" checked={existing} onChange={() => set({ kekKind: "existing" })} testid="kek-existing" label={t("wizard.kek.existing")} />
      </div>
      <div className="grid gap-3 md:grid-cols-[1fr_auto]">
        <Field
          name="kekName"
          label={t("wizard.kek.name")}
          hint={existing && props.verdict.checking ? t("wizard.kek.checking") : existing && props.verdict.value === "ok" ? t("wizard.kek.ok") : t("wizard.nameHint")}
          problem={words(props.problems)}
          serverError={props.serverError}
        >
          {(a) => (
            <>
              <input {...a} name="kekName" value={s.kekName} onChange={(e) => set({ kekName: e.target.value })} autoComplete="off" list={existing ? listId : undefined} className={inputClass(a)} />
              {existing ? (
                <datalist id={listId} aria-label={t("wizard.kek.suggestions")}>
                  {props.suggestions.map((n) => (
                    <option key={n} value={n} />
                  ))}
                </datalist>
              ) : null}
            </>
          )}
        </Field>
        {existing ? null : (
          <Field name="kekSize" label={t("wizard.kek.size")} problem={undefined}>
            {(a) => (
              <select {...a} name="kekSize" value={s.kekSize} onChange={(e) => set({ kekSize: Number(e.target.value) as RsaSize })} className={inputClass(a)}>
                {RSA_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {t("spec.RSA", { size })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <p className="rounded bg-slate-50 p-2 text-xs text-slate-700">{t("wizard.kek.why")}</p>
    </Section>
  );
}
