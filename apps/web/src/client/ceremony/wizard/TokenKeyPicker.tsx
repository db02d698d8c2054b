"use client";

import { useState } from "react";
import type { BridgeKeys } from "@keyward/shared";
import { FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Field, inputClass } from "../Field";
import { useSpecText } from "../words";
import type { WizardState } from "../wizard-model";

/**
 * Choose keys the token already holds (from the bridge's key.list: labels, types and public parts only).
 * When the bridge cannot be reached (an air-gapped host) the labels are typed instead.
 */
export function TokenKeyPicker(props: {
  state: WizardState;
  set: (patch: Partial<WizardState>) => void;
  tokenKeys: { data: BridgeKeys["keys"] | undefined; loading: boolean; error: unknown; bridgeChosen: boolean };
  problem: string | undefined;
  serverError: unknown;
}) {
  const t = useT(ceremony);
  const spec = useSpecText();
  const { state: s, set, tokenKeys } = props;
  // Typed labels keep the text as typed (blank lines, a line being started); the wizard gets the labels.
  const [typed, setTyped] = useState(() => s.existingLabels.join("\n"));
  if (!tokenKeys.bridgeChosen) return <p className="text-xs text-slate-600">{t("wizard.tokenKeys.chooseBridge")}</p>;
  if (tokenKeys.loading) return <p className="text-xs text-slate-600">{t("wizard.tokenKeys.loading")}</p>;
  if (!tokenKeys.data)
    return (
      <Field name="tokenKeys" label={t("wizard.tokenKeys.labels")} hint={t("wizard.tokenKeys.manual")} problem={props.problem} serverError={props.serverError}>
        {(a) => (
          <textarea
            {...a}
            name="existingLabels"
            rows={3}
            spellCheck={false}
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              set({ existingLabels: e.target.value.split("\n").map((l) => l.trim()).filter(Boolean) });
            }}
            className={`${inputClass(a)} font-mono text-xs`}
          />
        )}
      </Field>
    );
  const toggle = (label: string, on: boolean) => set({ existingLabels: on ? [...s.existingLabels, label] : s.existingLabels.filter((l) => l !== label) });
  return (
    <fieldset>
      <legend className="text-xs font-medium text-slate-700">{t("wizard.tokenKeys")}</legend>
      {tokenKeys.data.length === 0 ? <p className="text-xs text-slate-600">{t("wizard.tokenKeys.empty")}</p> : null}
      <ul data-testid="token-keys" className="mt-1 max-h-64 space-y-0.5 overflow-auto rounded border border-slate-200 p-1">
        {tokenKeys.data.map((k) => (
          <li key={`${k.label}/${k.id}`}>
            <label className={`flex items-center gap-2 rounded px-1 py-0.5 text-xs ${k.usable ? "cursor-pointer hover:bg-slate-50" : "text-slate-400"}`}>
              <input type="checkbox" disabled={!k.usable} checked={s.existingLabels.includes(k.label)} onChange={(e) => toggle(k.label, e.target.checked)} data-testid={`token-key-${k.label}`} />
              <span className="font-mono">{k.label}</span>
              <span>{k.spec ? spec(k.spec) : "?"}</span>
              {k.kcv ? <span className="font-mono text-slate-500">KCV {k.kcv}</span> : null}
              {k.usable ? null : <span className="italic">{t("wizard.tokenKeys.unusable")}</span>}
            </label>
          </li>
        ))}
      </ul>
      {props.problem ? (
        <p data-testid="problem-tokenKeys" className="mt-0.5 text-xs text-red-700">
          {props.problem}
        </p>
      ) : null}
      <div data-testid="server-error-tokenKeys">
        <FieldError error={props.serverError} />
      </div>
    </fieldset>
  );
}
