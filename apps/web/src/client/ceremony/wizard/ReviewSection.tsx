"use client";

import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import type { WizardState } from "../wizard-model";
import { Section } from "./Section";

/** One line saying what will happen, and Start — refused here, in words, until every field is sound. */
export function ReviewSection(props: { state: WizardState; count: number; ready: boolean; submitted: boolean; pending: boolean; error: unknown }) {
  const t = useT(ceremony);
  const s = props.state;
  return (
    <Section title={t("wizard.step.review")} testid="wizard-review">
      <p data-testid="wizard-summary" className="text-sm">
        {t("wizard.summary", { count: props.count, kek: s.kekName.trim() || "—", bridge: s.bridgeId || "—", mode: t(`mode.${s.mode}`) })}
      </p>
      {props.submitted && !props.ready ? (
        <p role="alert" className="text-sm text-red-700">
          {t("wizard.fix")}
        </p>
      ) : null}
      {props.error ? <ErrorNotice error={props.error} /> : null}
      <button type="submit" data-testid="start-ceremony" disabled={props.pending} className="rounded bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">
        {props.pending ? t("wizard.starting") : t("wizard.start")}
      </button>
    </Section>
  );
}
