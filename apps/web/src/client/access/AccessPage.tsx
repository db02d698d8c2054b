"use client";

import { useMemo, useState } from "react";
import { dataAction } from "@keyward/shared";
import { useCan } from "../auth/useMe";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { access } from "../i18n/messages/access";
import { common } from "../i18n/messages/common";
import { AccessMatrix } from "./AccessMatrix";
import { AssignForm } from "./AssignForm";
import { AssignmentList } from "./Assignments";
import { NO_FILTER, principalsOf, type MatrixFilter } from "./matrix";
import { useAccessData } from "./useAccess";

/** /access — the matrix of who may do what, and the role assignments behind it. */
export function AccessPage() {
  const t = useT(access);
  const tc = useT(common);
  const { assignments, principals } = useAccessData();
  const canWrite = useCan(dataAction("roleAssignments/write/action"));
  const [filter, setFilter] = useState<MatrixFilter>(NO_FILTER);
  const [notice, setNotice] = useState("");
  const all = useMemo(() => principalsOf(assignments.data ?? [], principals.data ?? []), [assignments.data, principals.data]);
  const byId = useMemo(() => new Map(all.map((p) => [p.id, p])), [all]);
  const keyNames = useMemo(() => [...new Set((assignments.data ?? []).flatMap((a) => (a.scope.startsWith("/keys/") ? [a.scope.slice(6)] : [])))].sort(), [assignments.data]);

  const failed = assignments.error ?? principals.error;
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-lg font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
      </header>
      {failed ? (
        <ErrorNotice error={failed} onRetry={() => void Promise.all([assignments.refetch(), principals.refetch()])} />
      ) : !assignments.data || !principals.data ? (
        <p className="text-sm text-slate-600">{tc("loading")}</p>
      ) : (
        <>
          <p role="status" data-testid="access-notice" className="min-h-5 text-sm text-emerald-800">
            {notice}
          </p>
          {canWrite ? <AssignForm principals={all} keyNames={keyNames} onNotice={setNotice} /> : <p className="text-sm text-slate-600">{t("assign.noRight")}</p>}
          <AccessMatrix assignments={assignments.data} principals={all} keyNames={keyNames} filter={filter} setFilter={setFilter} />
          <AssignmentList assignments={assignments.data} principals={byId} filter={filter.principal} canWrite={canWrite} onNotice={setNotice} />
        </>
      )}
    </div>
  );
}
