"use client";

import { useMemo, useState } from "react";
import type { PrincipalEntry, RoleAssignment } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { access } from "../i18n/messages/access";
import { csvFileName, matrixCsv } from "./csv";
import { ACTION_GROUPS, groupOf, groupedActions, shortLabel, type ActionGroup } from "./groups";
import { buildMatrix, principalLabel, type Matrix, type MatrixFilter } from "./matrix";
import { ScopePicker, scopeOf, type ScopeChoice } from "./ScopePicker";

function download(m: Matrix): void {
  const url = URL.createObjectURL(new Blob([matrixCsv(m)], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = csvFileName(m);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function Filters({ filter, onChange, onExport, exportable }: { filter: MatrixFilter; onChange(f: MatrixFilter): void; onExport(): void; exportable: boolean }) {
  const t = useT(access);
  const input = "rounded border border-slate-300 px-2 py-1 text-sm";
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-slate-600">{t("filter.principal")}</span>
        <input data-testid="filter-principal" className={input} value={filter.principal} placeholder={t("filter.principal.placeholder")} onChange={(e) => onChange({ ...filter, principal: e.target.value })} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-slate-600">{t("filter.action")}</span>
        <input data-testid="filter-action" className={`${input} font-mono`} value={filter.action} placeholder={t("filter.action.placeholder")} onChange={(e) => onChange({ ...filter, action: e.target.value })} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-slate-600">{t("filter.group")}</span>
        <select data-testid="filter-group" className={input} value={filter.group} onChange={(e) => onChange({ ...filter, group: e.target.value as ActionGroup | "all" })}>
          <option value="all">{t("filter.group.all")}</option>
          {ACTION_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`group.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1 pb-1">
        <input data-testid="filter-only-granted" type="checkbox" checked={filter.onlyGranted} onChange={(e) => onChange({ ...filter, onlyGranted: e.target.checked })} />
        {t("filter.onlyGranted")}
      </label>
      <button type="button" data-testid="export-csv" disabled={!exportable} onClick={onExport} className="ml-auto rounded border border-slate-300 px-3 py-1 hover:bg-slate-100 disabled:opacity-50">
        {t("export.csv")}
      </button>
    </div>
  );
}

function PrincipalCell({ p }: { p: PrincipalEntry }) {
  const t = useT(access);
  return (
    <th scope="row" className="sticky left-0 z-10 min-w-56 bg-white px-2 py-1 text-left align-top font-normal">
      <div className="font-medium text-slate-900">{p.name ?? p.username ?? t("unnamed")}</div>
      <div className="text-[11px] text-slate-500">
        {t(`kind.${p.kind}`)}
        {p.username && p.username !== p.name ? ` · ${p.username}` : ""}
      </div>
      <div className="font-mono text-[10px] break-all text-slate-400">{p.id}</div>
    </th>
  );
}

/** Principals × data actions at one scope, filterable and exportable as CSV. */
export function AccessMatrix(props: {
  assignments: readonly RoleAssignment[];
  principals: readonly PrincipalEntry[];
  keyNames: readonly string[];
  filter: MatrixFilter;
  setFilter(f: MatrixFilter): void;
}) {
  const { assignments, principals, keyNames, filter, setFilter } = props;
  const t = useT(access);
  const [choice, setChoice] = useState<ScopeChoice>({ kind: "hsm", keyName: "" });
  const scope = scopeOf(choice);
  const matrix = useMemo(() => (scope ? buildMatrix(assignments, principals, scope, filter) : undefined), [assignments, principals, scope, filter]);
  const groups = matrix ? groupedActions(matrix.actions) : [];
  return (
    <section className="space-y-3" aria-labelledby="matrix-heading">
      <div className="flex flex-wrap items-center gap-4">
        <h2 id="matrix-heading" className="text-sm font-semibold">
          {t("scope.legend")}
        </h2>
        <ScopePicker value={choice} onChange={setChoice} keyNames={keyNames} name="matrix-scope" testId="matrix-scope" />
      </div>
      <Filters filter={filter} onChange={setFilter} onExport={() => matrix && download(matrix)} exportable={!!matrix && matrix.rows.length > 0} />
      {matrix ? (
        <div className="max-h-[70vh] overflow-auto rounded border border-slate-200 bg-white">
          <table data-testid="access-matrix" data-scope={matrix.scope} className="border-collapse text-xs">
            <caption className="px-2 py-1 text-left text-xs text-slate-600">
              {t("matrix.caption", { scope: matrix.scope, principals: matrix.rows.length, actions: matrix.actions.length })}
            </caption>
            <thead className="sticky top-0 z-20 bg-slate-50">
              <tr>
                <th rowSpan={2} scope="col" className="sticky left-0 z-30 bg-slate-50 px-2 py-1 text-left">
                  {t("matrix.principal")}
                </th>
                <th rowSpan={2} scope="col" className="px-2 py-1 text-left">
                  {t("matrix.roles")}
                </th>
                {groups.map((g) => (
                  <th key={g.group} colSpan={g.actions.length} scope="colgroup" className="border-l border-slate-200 px-1 py-1 text-center font-medium">
                    {t(`group.${g.group}`)}
                  </th>
                ))}
              </tr>
              <tr>
                {groups.flatMap((g) =>
                  g.actions.map((a, i) => (
                    <th key={a} scope="col" title={a} className={`px-0.5 py-1 align-bottom font-normal text-slate-600 ${i === 0 ? "border-l border-slate-200" : ""}`}>
                      <span className="inline-block rotate-180 font-mono [writing-mode:vertical-rl]">{shortLabel(a)}</span>
                    </th>
                  )),
                )}
              </tr>
            </thead>
            <tbody>
              {matrix.rows.map((r) => (
                <tr key={r.principal.id} data-testid="matrix-row" data-principal-id={r.principal.id} className="border-t border-slate-100 hover:bg-slate-50">
                  <PrincipalCell p={r.principal} />
                  <td className="px-2 py-1 align-top text-slate-700">
                    {r.roles.map((x) => (
                      <div key={`${x.roleName}${x.scope}`} className="whitespace-nowrap">
                        {x.roleName} <span className="font-mono text-slate-400">{x.scope}</span>
                      </div>
                    ))}
                  </td>
                  {matrix.actions.map((a, i) => {
                    const granted = r.granted.has(a);
                    const first = i === 0 || groupOf(matrix.actions[i - 1] ?? a) !== groupOf(a);
                    return (
                      <td
                        key={a}
                        data-action={a}
                        data-granted={granted}
                        title={`${principalLabel(r.principal)} · ${a}`}
                        className={`px-0.5 text-center ${first ? "border-l border-slate-200" : ""} ${granted ? "bg-emerald-50 text-emerald-700" : "text-slate-300"}`}
                      >
                        <span aria-label={granted ? t("matrix.granted") : t("matrix.notGranted")}>{granted ? "✓" : "·"}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {matrix.rows.length === 0 ? <p className="p-3 text-sm text-slate-600">{t("matrix.empty")}</p> : null}
          {matrix.actions.length === 0 && matrix.rows.length > 0 ? <p className="p-3 text-sm text-slate-600">{t("matrix.noActions")}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
