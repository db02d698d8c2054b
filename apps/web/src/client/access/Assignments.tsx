"use client";

import { useState } from "react";
import { BUILT_IN_ROLES, findRole, type PrincipalEntry } from "@keyward/shared";
import { FieldError } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { access } from "../i18n/messages/access";
import { common } from "../i18n/messages/common";
import { principalLabel, principalMatches } from "./matrix";
import { useAssignmentMutations, type ListedAssignment } from "./useAccess";

const roleNameOf = (a: ListedAssignment) => findRole(BUILT_IN_ROLES, a.roleDefinitionId)?.roleName ?? a.roleDefinitionId;
const button = "rounded border px-2 py-0.5 text-xs disabled:opacity-50";

function AssignmentRow({ a, principal, canWrite, onNotice }: { a: ListedAssignment; principal: string; canWrite: boolean; onNotice(text: string): void }) {
  const t = useT(access);
  const tc = useT(common);
  const { remove } = useAssignmentMutations();
  const [confirming, setConfirming] = useState(false);
  const vars = { role: roleNameOf(a), principal, scope: a.scope };
  return (
    <tr data-testid="assignment-row" data-assignment={a.name} data-principal-id={a.principalId} className="border-t border-slate-100 align-top">
      <td className="px-2 py-1">{principal}</td>
      <td className="px-2 py-1">{vars.role}</td>
      <td className="px-2 py-1 font-mono">{a.scope}</td>
      <td className="px-2 py-1">
        {confirming ? (
          <div className="space-y-1" role="group" aria-label={t("assignments.removeConfirm", vars)}>
            <p className="text-xs">{t("assignments.removeConfirm", vars)}</p>
            <div className="flex gap-2">
              <button type="button" autoFocus disabled={remove.isPending} onClick={() =>
                  // The row unmounts once the list refreshes, so the notice cannot wait on this row's callbacks.
                  void remove.mutateAsync(a).then(
                    () => onNotice(t("assignments.removed", vars)),
                    () => undefined,
                  )
                } className={`${button} border-red-400 bg-red-600 text-white hover:bg-red-700`}>
                {remove.isPending ? t("assignments.removing") : t("assignments.remove")}
              </button>
              <button type="button" onClick={() => (setConfirming(false), remove.reset())} className={`${button} border-slate-300 hover:bg-slate-100`}>
                {tc("cancel")}
              </button>
            </div>
            <FieldError error={remove.error} />
          </div>
        ) : (
          <button type="button" disabled={!canWrite} onClick={() => setConfirming(true)} className={`${button} border-slate-300 hover:bg-slate-100`}>
            {t("assignments.remove")}
          </button>
        )}
      </td>
    </tr>
  );
}

/** Every role assignment, each removable after a confirmation. */
export function AssignmentList(props: { assignments: readonly ListedAssignment[]; principals: ReadonlyMap<string, PrincipalEntry>; filter: string; canWrite: boolean; onNotice(text: string): void }) {
  const { assignments, principals, filter, canWrite, onNotice } = props;
  const t = useT(access);
  const needle = filter.trim().toLowerCase();
  const principal = (id: string): PrincipalEntry => principals.get(id) ?? { id, kind: "unknown" };
  const label = (id: string) => principalLabel(principal(id));
  const shown = assignments
    .filter((a) => principalMatches(principal(a.principalId), needle))
    .sort((x, y) => label(x.principalId).localeCompare(label(y.principalId)) || x.scope.localeCompare(y.scope) || roleNameOf(x).localeCompare(roleNameOf(y)));
  return (
    <section aria-labelledby="assignments-heading" className="space-y-2">
      <h2 id="assignments-heading" className="text-sm font-semibold">
        {t("assignments.title")} <span className="font-normal text-slate-500">({t("assignments.count", { count: shown.length })})</span>
      </h2>
      <div className="overflow-auto rounded border border-slate-200 bg-white">
        <table data-testid="assignments" className="w-full text-xs">
          <thead className="bg-slate-50 text-left">
            <tr>
              {(["principal", "role", "scope", "actions"] as const).map((col) => (
                <th key={col} scope="col" className="px-2 py-1">
                  {t(`assignments.${col}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <AssignmentRow key={a.name} a={a} principal={label(a.principalId)} canWrite={canWrite} onNotice={onNotice} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="p-3 text-sm text-slate-600">{t("assignments.empty")}</p> : null}
      </div>
    </section>
  );
}
