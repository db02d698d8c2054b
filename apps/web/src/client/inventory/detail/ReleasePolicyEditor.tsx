"use client";

import { useId, useMemo, useState } from "react";
import {
  OPERATIONS,
  decodeReleasePolicy,
  diffReleasePolicies,
  encodeReleasePolicy,
  parseReleasePolicyJson,
  renderReleasePolicy,
  type KeyBundleOut,
  type ReleasePolicy,
} from "@keyward/shared";
import { FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { Panel } from "../Panel";
import { ActionButton, buttonClass } from "../Permission";
import { useUpdateKey } from "../queries";
import { lineDiff } from "./line-diff";

/** A starting point for a key without a policy: one authority, one claim (a confidential VM on AMD SEV-SNP). */
const TEMPLATE: ReleasePolicy = {
  version: "1.0.0",
  anyOf: [{ authority: "https://sharedeus.eus.attest.azure.net/", allOf: [{ claim: "x-ms-isolation-tee.x-ms-attestation-type", equals: "sevsnpvm" }] }],
};
const pretty = (policy: ReleasePolicy) => JSON.stringify(policy, null, 2);

function Diff({ before, after }: { before: string; after: string }) {
  const t = useT(keys);
  const lines = useMemo(() => lineDiff(before, after), [before, after]);
  const style = { same: "text-slate-600", add: "bg-emerald-50 text-emerald-900", remove: "bg-red-50 text-red-900" } as const;
  const mark = { same: " ", add: "+", remove: "−" } as const;
  return (
    <pre className="max-h-80 overflow-auto rounded border border-slate-200 bg-white p-2 text-xs leading-5" data-testid="policy-diff">
      {lines.map((l, i) => (
        <div key={i} className={style[l.op]} data-op={l.op}>
          <span aria-hidden className="mr-2 select-none">
            {mark[l.op]}
          </span>
          {l.op === "same" ? null : <span className="sr-only">{t(l.op === "add" ? "diff.added" : "diff.removed")}</span>}
          {l.text}
        </div>
      ))}
    </pre>
  );
}

/**
 * A version's secure key release policy (grammar 1.0.0): read as words, edited as JSON checked by the
 * shared parser as you type (each problem with its JSON pointer), reviewed as a diff before saving.
 * An immutable policy cannot be edited: the form says why, and the server refuses anyway.
 */
export function ReleasePolicyEditor({ name, version, bundle }: { name: string; version: string; bundle: KeyBundleOut }) {
  const t = useT(keys);
  const id = useId();
  const wire = bundle.release_policy;
  const current = wire ? decodeReleasePolicy(wire) : undefined;
  const currentPolicy = current?.ok ? current.policy : undefined;
  const immutable = wire?.immutable === true;
  const [editing, setEditing] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [text, setText] = useState("");
  const [makeImmutable, setMakeImmutable] = useState(false);
  const update = useUpdateKey(name, version);
  const parsed = useMemo(() => (editing ? parseReleasePolicyJson(text) : undefined), [editing, text]);
  const next = parsed?.ok ? parsed.policy : undefined;
  const changes = next && currentPolicy ? diffReleasePolicies(currentPolicy, next) : [];
  const unchanged = next !== undefined && currentPolicy !== undefined && changes.length === 0 && makeImmutable === immutable;

  const start = () => {
    setText(pretty(currentPolicy ?? TEMPLATE));
    setMakeImmutable(immutable);
    setReviewing(false);
    update.reset();
    setEditing(true);
  };
  const save = () => {
    if (!next) return;
    update.mutate({ release_policy: encodeReleasePolicy(next, { immutable: makeImmutable }) }, { onSuccess: () => setEditing(false) });
  };

  return (
    <Panel
      testId="release-policy"
      title={
        <>
          {t("rp.title")}
          {immutable ? (
            <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-medium uppercase text-amber-900" data-testid="policy-immutable-badge">
              {t("rp.immutable")}
            </span>
          ) : null}
        </>
      }
      aside={
        editing ? null : (
          <ActionButton action={OPERATIONS.updateKey} className={buttonClass.secondary} onClick={start} disabled={immutable} title={immutable ? t("rp.immutableWhy") : undefined} data-testid="policy-edit">
            {wire ? t("edit") : t("rp.add")}
          </ActionButton>
        )
      }
    >
      {immutable ? (
        <p className="mt-1 text-xs text-amber-900" data-testid="policy-immutable-note">
          {t("rp.immutableWhy")}
        </p>
      ) : null}

      {!editing ? (
        <div className="mt-2">
          {!wire ? <p className="text-sm text-slate-500">{t("rp.none")}</p> : null}
          {current && !current.ok ? (
            <p className="text-sm text-red-700">{t("rp.unreadable", { problems: current.issues.map((i) => i.message).join("; ") })}</p>
          ) : null}
          {currentPolicy ? (
            <>
              <pre className="whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs leading-5" data-testid="policy-rendering">
                {renderReleasePolicy(currentPolicy)}
              </pre>
              <details className="mt-1 text-xs">
                <summary className="cursor-pointer text-slate-600">{t("rp.showJson")}</summary>
                <pre className="mt-1 overflow-auto rounded bg-slate-50 p-2">{pretty(currentPolicy)}</pre>
              </details>
            </>
          ) : null}
          {/* A refusal of the last save, e.g. the policy became immutable while this page was open. */}
          <FieldError error={update.error} />
        </div>
      ) : (
        <div className="mt-2 space-y-2">
          {!reviewing ? (
            <>
              <label htmlFor={`${id}-json`} className="block text-xs font-medium text-slate-700">
                {t("rp.jsonLabel")}
              </label>
              <textarea
                id={`${id}-json`}
                value={text}
                onChange={(e) => setText(e.target.value)}
                rows={14}
                spellCheck={false}
                aria-invalid={parsed !== undefined && !parsed.ok}
                aria-describedby={`${id}-issues`}
                className={`w-full rounded border p-2 font-mono text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${parsed && !parsed.ok ? "border-red-400" : "border-slate-300"}`}
                data-testid="policy-json"
              />
              <div id={`${id}-issues`} aria-live="polite">
                {parsed && !parsed.ok ? (
                  <ul className="space-y-0.5 text-xs text-red-700" data-testid="policy-issues">
                    {parsed.issues.map((issue, i) => (
                      <li key={i}>
                        <code className="rounded bg-red-50 px-1">{issue.path || "/"}</code> {issue.message}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
              {next ? (
                <div>
                  <p className="text-xs font-medium text-slate-700">{t("rp.readsAs")}</p>
                  <pre className="whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs leading-5" data-testid="policy-preview">
                    {renderReleasePolicy(next)}
                  </pre>
                </div>
              ) : null}
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" checked={makeImmutable} onChange={(e) => setMakeImmutable(e.target.checked)} className="mt-1" data-testid="policy-make-immutable" />
                <span>
                  {t("rp.makeImmutable")}
                  <span className="block text-xs text-amber-800">{t("rp.makeImmutableWarning")}</span>
                </span>
              </label>
              <div className="flex gap-2">
                <button type="button" className={buttonClass.primary} disabled={!next || unchanged} onClick={() => setReviewing(true)} data-testid="policy-review">
                  {t("rp.review")}
                </button>
                <button type="button" className={buttonClass.secondary} onClick={() => setEditing(false)}>
                  {t("rp.cancel")}
                </button>
              </div>
              {unchanged ? <p className="text-xs text-slate-500">{t("rp.noChanges")}</p> : null}
            </>
          ) : (
            <>
              <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("rp.reviewTitle")}</h3>
              <ul className="list-disc space-y-0.5 pl-5 text-sm" data-testid="policy-changes">
                {currentPolicy ? null : <li>{t("rp.newPolicy")}</li>}
                {changes.map((c, i) => (
                  <li key={i}>{c.message}</li>
                ))}
                {makeImmutable && !immutable ? <li className="font-medium text-amber-900">{t("rp.becomesImmutable")}</li> : null}
              </ul>
              <Diff before={currentPolicy ? pretty(currentPolicy) : ""} after={next ? pretty(next) : ""} />
              <FieldError error={update.error} />
              <div className="flex gap-2">
                <ActionButton action={OPERATIONS.updateKey} className={buttonClass.primary} onClick={save} disabled={!next || update.isPending} data-testid="policy-save">
                  {update.isPending ? t("working") : t("rp.save")}
                </ActionButton>
                <button type="button" className={buttonClass.secondary} onClick={() => setReviewing(false)} disabled={update.isPending}>
                  {t("rp.back")}
                </button>
              </div>
            </>
          )}
        </div>
      )}
    </Panel>
  );
}
