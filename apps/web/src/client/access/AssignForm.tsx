"use client";

import { useId, useState } from "react";
import { BUILT_IN_ROLES, BUILT_IN_ROLE_IDS, findRole, type PrincipalEntry } from "@keyward/shared";
import { FieldError } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { access } from "../i18n/messages/access";
import { common } from "../i18n/messages/common";
import { principalLabel } from "./matrix";
import { ScopePicker, scopeOf, type ScopeChoice } from "./ScopePicker";
import { useAssignmentMutations } from "./useAccess";

const OTHER = "__other";
const input = "rounded border border-slate-300 px-2 py-1 text-sm";

/** Assign a built-in role to a principal at a scope — reviewed in words before it is sent. */
export function AssignForm({ principals, keyNames, onNotice }: { principals: readonly PrincipalEntry[]; keyNames: readonly string[]; onNotice(text: string): void }) {
  const t = useT(access);
  const tc = useT(common);
  const id = useId();
  const { assign } = useAssignmentMutations();
  const [principal, setPrincipal] = useState("");
  const [otherId, setOtherId] = useState("");
  const [roleId, setRoleId] = useState<string>(BUILT_IN_ROLE_IDS.cryptoUser);
  const [choice, setChoice] = useState<ScopeChoice>({ kind: "hsm", keyName: "" });
  const [reviewing, setReviewing] = useState(false);
  const [missing, setMissing] = useState(false);

  const principalId = principal === OTHER ? otherId.trim() : principal;
  const scope = scopeOf(choice);
  const known = principals.find((p) => p.id === principalId);
  const vars = { role: findRole(BUILT_IN_ROLES, roleId)?.roleName ?? roleId, principal: known ? principalLabel(known) : principalId, scope: scope ?? "" };
  const edit = () => {
    setReviewing(false);
    assign.reset();
  };

  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2 rounded border border-slate-200 bg-white p-3">
      <h2 id={`${id}-h`} className="text-sm font-semibold">
        {t("assign.title")}
      </h2>
      <form
        data-testid="assign-form"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!principalId) return setMissing(true);
          if (scope) setReviewing(true);
        }}
      >
        <label className="flex flex-col gap-0.5">
          <span className="text-xs text-slate-600">{t("assign.principal")}</span>
          <select
            data-testid="assign-principal"
            className={input}
            value={principal}
            aria-invalid={missing}
            aria-describedby={missing ? `${id}-missing` : undefined}
            onChange={(e) => (setPrincipal(e.target.value), setMissing(false), edit())}
          >
            <option value="">{t("assign.principal.choose")}</option>
            {principals.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name ?? p.id}
                {p.username ? ` (${p.username})` : ""}
              </option>
            ))}
            <option value={OTHER}>{t("assign.principal.other")}</option>
          </select>
          {missing ? (
            <span id={`${id}-missing`} role="alert" className="text-xs text-red-700">
              {t("assign.principalRequired")}
            </span>
          ) : null}
        </label>
        {principal === OTHER ? (
          <label className="flex flex-col gap-0.5">
            <span className="text-xs text-slate-600">{t("assign.principalId")}</span>
            <input data-testid="assign-principal-id" className={`${input} w-72 font-mono text-xs`} value={otherId} maxLength={256} onChange={(e) => (setOtherId(e.target.value), edit())} />
          </label>
        ) : null}
        <label className="flex flex-col gap-0.5">
          <span className="text-xs text-slate-600">{t("assign.role")}</span>
          <select data-testid="assign-role" className={input} value={roleId} onChange={(e) => (setRoleId(e.target.value), edit())}>
            {BUILT_IN_ROLES.map((r) => (
              <option key={r.name} value={r.name}>
                {r.roleName}
              </option>
            ))}
          </select>
        </label>
        <div className="flex flex-col gap-0.5">
          <span className="text-xs text-slate-600">{t("assign.scope")}</span>
          <ScopePicker value={choice} onChange={(v) => (setChoice(v), edit())} keyNames={keyNames} name="assign-scope" testId="assign-scope" />
        </div>
        <button type="submit" disabled={!scope || reviewing} className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50">
          {t("assign.review")}
        </button>
      </form>
      {reviewing ? (
        <div data-testid="assign-confirm" role="group" aria-label={t("assign.confirm", vars)} className="rounded border border-amber-300 bg-amber-50 p-2 text-sm">
          <p>{t("assign.confirm", vars)}</p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              autoFocus
              disabled={assign.isPending || !scope}
              onClick={() =>
                scope &&
                assign.mutate(
                  { principalId, roleId, scope },
                  {
                    onSuccess: () => {
                      setReviewing(false);
                      onNotice(t("assign.done", vars));
                    },
                  },
                )
              }
              className="rounded bg-slate-900 px-3 py-1 text-white hover:bg-slate-700 disabled:opacity-50"
            >
              {assign.isPending ? t("assign.assigning") : t("assign.confirmButton")}
            </button>
            <button type="button" onClick={edit} className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">
              {tc("cancel")}
            </button>
          </div>
          <FieldError error={assign.error} />
        </div>
      ) : null}
    </section>
  );
}
