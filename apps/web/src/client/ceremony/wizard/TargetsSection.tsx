"use client";

import type { BridgeKeys, CreateCeremonyRequest } from "@keyward/shared";
import { FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Field, inputClass } from "../Field";
import { HeadRow } from "../HeadRow";
import { hasPlaceholder } from "../name-pattern";
import { useSpecText } from "../words";
import type { Field as WizardField, Offer, Problem, WizardState } from "../wizard-model";
import { useProblemText } from "./Problems";
import { Choice, Section } from "./Section";
import { SpecPicker } from "./SpecPicker";
import { TokenKeyPicker } from "./TokenKeyPicker";

const PREVIEW = 8;

/** What to bring: new keys generated in the HSM (one, or N from a pattern) or keys the token already holds. */
export function TargetsSection(props: {
  state: WizardState;
  set: (patch: Partial<WizardState>) => void;
  offer: Offer;
  problems: Partial<Record<WizardField, Problem[]>>;
  serverErrors: Partial<Record<WizardField, unknown>>;
  tokenKeys: { data: BridgeKeys["keys"] | undefined; loading: boolean; error: unknown; bridgeChosen: boolean };
  targets: CreateCeremonyRequest["targets"];
  namesCheck: { checking: boolean; partial: boolean; checkedCount: number };
}) {
  const t = useT(ceremony);
  const words = useProblemText();
  const spec = useSpecText();
  const { state: s, set } = props;
  const generate = s.source === "generate";
  const many = generate ? s.count > 1 : s.existingLabels.length > 1;
  const manualSpec = !generate && !props.tokenKeys.data;
  const shown = props.targets.slice(0, PREVIEW);
  return (
    <Section title={t("wizard.step.targets")} testid="wizard-targets">
      <div role="radiogroup" aria-label={t("wizard.source")} className="grid gap-2 md:grid-cols-2">
        <Choice name="source" value="generate" checked={generate} onChange={() => set({ source: "generate" })} testid="source-generate" label={t("wizard.source.generate")} />
        <Choice name="source" value="existing" checked={!generate} onChange={() => set({ source: "existing" })} testid="source-existing" label={t("wizard.source.existing")} />
      </div>

      {generate || manualSpec ? <SpecPicker state={s} set={set} offer={props.offer} problem={words(props.problems.spec)} /> : null}
      <div data-testid="server-error-spec">
        <FieldError error={props.serverErrors.spec} />
      </div>

      {generate ? (
        <Field name="count" label={t("wizard.count")} hint={t("wizard.countHint")} problem={words(props.problems.count)}>
          {(a) => (
            <input
              {...a}
              name="count"
              type="number"
              min={1}
              max={1024}
              value={Number.isNaN(s.count) ? "" : s.count}
              onChange={(e) => {
                const count = e.target.valueAsNumber;
                // Going bulk: give the single name a number so the pattern is valid straight away.
                const namePattern = count > 1 && s.namePattern && !hasPlaceholder(s.namePattern) ? `${s.namePattern}-{n}` : s.namePattern;
                set({ count, namePattern });
              }}
              className={`${inputClass(a)} max-w-32`}
            />
          )}
        </Field>
      ) : (
        <TokenKeyPicker state={s} set={set} tokenKeys={props.tokenKeys} problem={words(props.problems.tokenKeys)} serverError={props.serverErrors.tokenKeys} />
      )}

      <div className="grid gap-3 md:grid-cols-2">
        <Field
          name="names"
          label={many ? t("wizard.namePattern") : t("wizard.name")}
          hint={many ? t("wizard.patternHint") : t("wizard.nameHint")}
          problem={words(props.problems.names)}
          serverError={props.serverErrors.names}
        >
          {(a) => <input {...a} name="namePattern" value={s.namePattern} onChange={(e) => set({ namePattern: e.target.value })} autoComplete="off" placeholder={many ? "app-{n}" : "payments"} className={inputClass(a)} />}
        </Field>
        {generate ? (
          <Field
            name="labels"
            label={many ? t("wizard.labelPattern") : t("wizard.label")}
            hint={t("wizard.labelHint")}
            problem={words(props.problems.labels)}
            serverError={props.serverErrors.labels}
          >
            {(a) => <input {...a} name="labelPattern" value={s.labelPattern} onChange={(e) => set({ labelPattern: e.target.value })} autoComplete="off" placeholder={s.namePattern} className={inputClass(a)} />}
          </Field>
        ) : null}
      </div>
      <p className="text-xs text-slate-500" aria-live="polite">
        {props.namesCheck.checking ? t("wizard.names.checking") : props.namesCheck.partial ? t("wizard.names.partial", { count: props.namesCheck.checkedCount }) : ""}
      </p>

      {shown.length ? (
        <div>
          <h3 className="text-xs font-medium text-slate-700">{t("wizard.preview", { count: props.targets.length })}</h3>
          <table data-testid="wizard-preview" className="mt-1 w-full text-left text-xs">
            <HeadRow className="text-slate-500" cellClassName="py-0.5 pr-3" labels={[t("col.name"), t("col.label"), t("col.spec")]} />
            <tbody className="font-mono">
              {shown.map((x) => (
                <tr key={`${x.name}/${x.label ?? ""}`} className="border-t border-slate-100">
                  <td className="py-0.5 pr-3">{x.name}</td>
                  <td className="py-0.5 pr-3">{x.label}</td>
                  <td className="py-0.5">{spec(x.spec)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.targets.length > PREVIEW ? <p className="mt-1 text-xs text-slate-500">{t("wizard.previewMore", { count: props.targets.length - PREVIEW })}</p> : null}
        </div>
      ) : null}
    </Section>
  );
}
