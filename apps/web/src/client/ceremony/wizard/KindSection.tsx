"use client";

import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { WIZARD_KINDS, type WizardKind } from "../wizard-kind";
import { Choice, Section } from "./Section";

/** What the ceremony brings the key into: a Key Vault / Managed HSM (.byok) or a KMS key-material import. */
export function KindSection({ kind, onChange }: { kind: WizardKind; onChange: (k: WizardKind) => void }) {
  const t = useT(ceremony);
  return (
    <Section title={t("wizard.kind")} testid="wizard-kind">
      <div role="radiogroup" aria-label={t("wizard.kind")} className="grid gap-2 md:grid-cols-2">
        {WIZARD_KINDS.map((k) => (
          <Choice key={k} name="wizard-kind" value={k} checked={kind === k} onChange={() => onChange(k)} testid={`kind-${k}`} label={<span className="font-medium">{t(`wizard.kind.${k}`)}</span>}>
            <p className="text-xs text-slate-600">{t(`wizard.kind.${k}.hint`)}</p>
          </Choice>
        ))}
      </div>
    </Section>
  );
}
