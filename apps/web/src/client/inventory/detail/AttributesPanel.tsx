"use client";

import { useId, useState, type ReactNode } from "react";
import { OPERATIONS, checkValidityWindow, type KeyBundleOut } from "@keyward/shared";
import { ApiError } from "../../api/errors";
import { FieldError } from "../../components/ErrorNotice";
import { useLocale, useT } from "../../i18n/I18nProvider";
import { common } from "../../i18n/messages/common";
import { keys } from "../../i18n/messages/keys";
import { formatTime, fromLocalInput, isoUtc, toLocalInput } from "../format";
import { Panel, SaveRow } from "../Panel";
import { inputClass } from "../Permission";
import { useUpdateKey, type KeyPatch } from "../queries";

type DateField = "nbf" | "exp";

/** Which date a refusal is about: the server's words name nbf or exp when it is one of them. */
function dateFieldOf(err: unknown): DateField | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  const m = /\b(nbf|exp)\b/.exec(err.message);
  return m?.[1] === "nbf" || m?.[1] === "exp" ? m[1] : undefined;
}

function Row({ label, children, title }: { label: string; children: ReactNode; title?: string | undefined }) {
  return (
    <div className="flex gap-2 py-0.5">
      <dt className="w-40 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words" title={title}>
        {children}
      </dd>
    </div>
  );
}

/** A version's attributes, and the form that changes what Key Vault lets change: enabled, nbf, exp. */
export function AttributesPanel({ name, version, bundle }: { name: string; version: string; bundle: KeyBundleOut }) {
  const t = useT(keys);
  const tc = useT(common);
  const { locale } = useLocale();
  const id = useId();
  const a = bundle.attributes;
  const [enabled, setEnabled] = useState(a.enabled);
  const [nbf, setNbf] = useState(toLocalInput(a.nbf));
  const [exp, setExp] = useState(toLocalInput(a.exp));
  const update = useUpdateKey(name, version);

  // Key Vault's PATCH cannot remove a date once set; say so rather than send what would be ignored.
  const problem: Partial<Record<DateField, string>> = {};
  if (a.nbf !== undefined && !nbf) problem.nbf = t("attr.cannotClear");
  if (a.exp !== undefined && !exp) problem.exp = t("attr.cannotClear");
  const window = checkValidityWindow({ nbf: fromLocalInput(nbf), exp: fromLocalInput(exp) });
  if (!window.ok) problem.exp ??= t("attr.window");

  const patch: NonNullable<KeyPatch["attributes"]> = {};
  if (enabled !== a.enabled) patch.enabled = enabled;
  if (nbf !== toLocalInput(a.nbf) && fromLocalInput(nbf) !== undefined) patch.nbf = fromLocalInput(nbf);
  if (exp !== toLocalInput(a.exp) && fromLocalInput(exp) !== undefined) patch.exp = fromLocalInput(exp);
  const changed = Object.keys(patch).length > 0;
  const serverField = dateFieldOf(update.error);

  return (
    <Panel title={t("attr.title")}>
      <dl className="mt-2 text-sm" data-testid="attributes">
        <Row label={t("attr.enabled")}>{a.enabled ? t("state.enabled") : t("state.disabled")}</Row>
        <Row label={t("attr.nbf")} title={isoUtc(a.nbf)}>
          {a.nbf === undefined ? t("attr.notSet") : formatTime(a.nbf, locale)}
        </Row>
        <Row label={t("attr.exp")} title={isoUtc(a.exp)}>
          {a.exp === undefined ? t("exp.never") : formatTime(a.exp, locale)}
        </Row>
        <Row label={t("attr.created")} title={isoUtc(a.created)}>
          {formatTime(a.created, locale)}
        </Row>
        <Row label={t("attr.updated")} title={isoUtc(a.updated)}>
          {formatTime(a.updated, locale)}
        </Row>
        <Row label={t("attr.exportable")}>{a.exportable ? tc("yes") : tc("no")}</Row>
        <Row label={t("attr.hsmPlatform")}>{a.hsmPlatform ?? "—"}</Row>
        <Row label={t("attr.recoveryLevel")}>{a.recoveryLevel ?? "—"}</Row>
        <Row label={t("attr.recoverableDays")}>{a.recoverableDays === undefined ? "—" : t("attr.days", { days: a.recoverableDays })}</Row>
        <Row label={t("attr.keyOps")}>
          <span className="flex flex-wrap gap-1" data-testid="key-ops">
            {(bundle.key.key_ops ?? []).map((op) => (
              <code key={op} className="rounded bg-slate-100 px-1 text-xs">
                {op}
              </code>
            ))}
          </span>
        </Row>
      </dl>

      <form
        className="mt-3 space-y-2 border-t border-slate-100 pt-3"
        data-testid="attributes-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed && !problem.nbf && !problem.exp) update.mutate({ attributes: patch });
        }}
      >
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("attr.edit")}</h3>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="attr-enabled" className="focus-visible:ring-2 focus-visible:ring-sky-500" />
          {t("attr.enabledLabel")}
        </label>
        {(["nbf", "exp"] as const).map((field) => (
          <div key={field}>
            <label htmlFor={`${id}-${field}`} className="block text-xs font-medium text-slate-700">
              {t(field === "nbf" ? "attr.nbfLabel" : "attr.expLabel")}
            </label>
            <input
              id={`${id}-${field}`}
              type="datetime-local"
              data-testid={`attr-${field}`}
              value={field === "nbf" ? nbf : exp}
              onChange={(e) => (field === "nbf" ? setNbf : setExp)(e.target.value)}
              aria-invalid={Boolean(problem[field]) || serverField === field}
              className={`${inputClass(Boolean(problem[field]) || serverField === field)} mt-0.5`}
            />
            {problem[field] ? <p className="mt-1 text-xs text-red-700">{problem[field]}</p> : null}
            {serverField === field ? <FieldError error={update.error} /> : null}
          </div>
        ))}
        {update.isError && serverField === undefined ? <FieldError error={update.error} /> : null}
        <SaveRow
          action={OPERATIONS.updateKey}
          label={t("attr.save")}
          ready={changed && !problem.nbf && !problem.exp}
          pending={update.isPending}
          saved={update.isSuccess && !changed}
          dirty={changed}
          onReset={() => {
            setEnabled(a.enabled);
            setNbf(toLocalInput(a.nbf));
            setExp(toLocalInput(a.exp));
            update.reset();
          }}
          testId="attr-save"
        />
      </form>
    </Panel>
  );
}
