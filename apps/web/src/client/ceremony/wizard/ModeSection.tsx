"use client";

import { CEREMONY_MODES, type CeremonyMode } from "@keyward/shared";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Choice, Section } from "./Section";

export function ModeSection({ mode, onChange }: { mode: CeremonyMode; onChange: (m: CeremonyMode) => void }) {
  const t = useT(ceremony);
  return (
    <Section title={t("wizard.step.mode")} testid="wizard-mode">
      <div role="radiogroup" aria-label={t("wizard.step.mode")} className="grid gap-2 md:grid-cols-2">
        {CEREMONY_MODES.map((m) => (
          <Choice key={m} name="mode" value={m} checked={mode === m} onChange={() => onChange(m)} testid={`mode-${m}`} label={<span className="font-medium">{t(`mode.${m}`)}</span>}>
            <p className="text-xs text-slate-600">{t(`wizard.mode.${m}`)}</p>
          </Choice>
        ))}
      </div>
    </Section>
  );
}
