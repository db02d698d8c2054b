"use client";

import { useId, useState } from "react";
import { OPERATIONS, type RotationPolicyOut } from "@keyward/shared";
import { ErrorNotice, FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { common } from "../../i18n/messages/common";
import { keys } from "../../i18n/messages/keys";
import { Panel } from "../Panel";
import { ActionButton, buttonClass, inputClass } from "../Permission";
import { useRotationPolicy, useUpdateRotationPolicy } from "../queries";
import { bodyFromForm, checkForm, formFromPolicy, type ActionForm, type RotationForm, type TriggerMode } from "./rotation-form";

function PolicyWords({ policy }: { policy: RotationPolicyOut }) {
  const t = useT(keys);
  const form = formFromPolicy(policy);
  const action = (a: ActionForm, type: "rotate" | "notify") =>
    a.mode === "none" ? t(`rot.${type}.none`) : t(`rot.${type}.${a.mode}`, { duration: a.duration });
  return (
    <ul className="mt-2 space-y-0.5 text-sm" data-testid="rotation-policy">
      <li>{form.expiryTime ? t("rot.expiry.set", { duration: form.expiryTime }) : t("rot.expiry.none")}</li>
      <li>{action(form.rotate, "rotate")}</li>
      <li>{action(form.notify, "notify")}</li>
    </ul>
  );
}

function ActionFields({ label, value, onChange, modes, problem, testId }: { label: string; value: ActionForm; onChange: (a: ActionForm) => void; modes: TriggerMode[]; problem: string | undefined; testId: string }) {
  const t = useT(keys);
  const id = useId();
  return (
    <fieldset>
      <legend className="text-xs font-medium text-slate-700">{label}</legend>
      <div className="mt-0.5 flex gap-2">
        <select aria-label={label} value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value as TriggerMode })} className={inputClass()} data-testid={`${testId}-mode`}>
          {modes.map((m) => (
            <option key={m} value={m}>
              {t(`rot.mode.${m}`)}
            </option>
          ))}
        </select>
        {value.mode === "none" ? null : (
          <input
            id={`${id}-d`}
            aria-label={t("rot.duration")}
            value={value.duration}
            onChange={(e) => onChange({ ...value, duration: e.target.value })}
            placeholder="P30D"
            aria-invalid={Boolean(problem)}
            className={`${inputClass(Boolean(problem))} w-28 font-mono`}
            data-testid={`${testId}-duration`}
          />
        )}
      </div>
      {problem ? <p className="mt-1 text-xs text-red-700">{problem}</p> : null}
    </fieldset>
  );
}

function RotationEditor({ name, policy, onDone }: { name: string; policy: RotationPolicyOut; onDone: () => void }) {
  const t = useT(keys);
  const tc = useT(common);
  const [form, setForm] = useState<RotationForm>(() => formFromPolicy(policy));
  const save = useUpdateRotationPolicy(name);
  const problems = checkForm(form);
  const ok = Object.keys(problems).length === 0;
  return (
    <form
      className="mt-2 space-y-2"
      data-testid="rotation-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) save.mutate(bodyFromForm(form), { onSuccess: onDone });
      }}
    >
      <div>
        <label className="block text-xs font-medium text-slate-700">
          {t("rot.expiryLabel")}
          <input
            value={form.expiryTime}
            onChange={(e) => setForm({ ...form, expiryTime: e.target.value })}
            placeholder="P1Y"
            aria-invalid={Boolean(problems.expiryTime)}
            className={`${inputClass(Boolean(problems.expiryTime))} mt-0.5 block w-28 font-mono`}
            data-testid="rotation-expiry"
          />
        </label>
        <p className="mt-0.5 text-xs text-slate-500">{t("rot.durationHint")}</p>
        {problems.expiryTime ? <p className="mt-1 text-xs text-red-700">{problems.expiryTime}</p> : null}
      </div>
      <ActionFields label={t("rot.rotateLabel")} value={form.rotate} onChange={(rotate) => setForm({ ...form, rotate })} modes={["none", "timeAfterCreate", "timeBeforeExpiry"]} problem={problems.rotate} testId="rotation-rotate" />
      <ActionFields label={t("rot.notifyLabel")} value={form.notify} onChange={(notify) => setForm({ ...form, notify })} modes={["none", "timeBeforeExpiry", "timeAfterCreate"]} problem={problems.notify} testId="rotation-notify" />
      {problems.form ? <p className="text-xs text-red-700">{problems.form}</p> : null}
      <FieldError error={save.error} />
      <div className="flex gap-2">
        <ActionButton action={OPERATIONS.updateKeyRotationPolicy} type="submit" className={buttonClass.primary} disabled={!ok || save.isPending} data-testid="rotation-save">
          {save.isPending ? t("working") : t("rot.save")}
        </ActionButton>
        <button type="button" className={buttonClass.secondary} onClick={onDone}>
          {tc("cancel")}
        </button>
      </div>
    </form>
  );
}

/** The key's rotation policy in words, and a form to change it with the shared rules checked as you type. */
export function RotationPolicyPanel({ name }: { name: string }) {
  const t = useT(keys);
  const policy = useRotationPolicy(name);
  const [editing, setEditing] = useState(false);
  return (
    <Panel
      title={t("rot.title")}
      aside={
        policy.data && !editing ? (
          <ActionButton action={OPERATIONS.updateKeyRotationPolicy} className={buttonClass.secondary} onClick={() => setEditing(true)} data-testid="rotation-edit">
            {t("edit")}
          </ActionButton>
        ) : null
      }
    >
      {policy.isPending ? <p className="mt-2 text-sm text-slate-500">{t("rot.loading")}</p> : null}
      {policy.isError ? <ErrorNotice error={policy.error} onRetry={() => void policy.refetch()} /> : null}
      {policy.data ? (
        <>
          {policy.data.attributes.created === undefined ? <p className="mt-1 text-xs text-slate-500">{t("rot.default")}</p> : null}
          {editing ? <RotationEditor name={name} policy={policy.data} onDone={() => setEditing(false)} /> : <PolicyWords policy={policy.data} />}
        </>
      ) : null}
    </Panel>
  );
}
