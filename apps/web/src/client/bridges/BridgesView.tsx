"use client";

import { OPERATIONS } from "@keyward/shared";
import { useState } from "react";
import { useCan } from "../auth/useMe";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { ceremony } from "../i18n/messages/ceremony";
import { BridgeCard } from "./BridgeCard";
import { useBridges } from "./queries";
import { RegisterBridgeForm } from "./RegisterBridgeForm";

/** `/bridges`: registered bridges with live status and preflight; administrators register and remove them. */
export function BridgesView() {
  const t = useT(ceremony);
  const tc = useT(common);
  const bridges = useBridges();
  // A hint only: the server refuses a registration by anyone else, in words.
  const canManage = useCan(OPERATIONS.createRoleAssignment);
  const [registering, setRegistering] = useState(false);
  const [notice, setNotice] = useState<string>();
  const list = bridges.data?.bridges ?? [];

  return (
    <div className="space-y-4">
      <div className="flex items-start gap-4">
        <div>
          <h1 className="text-lg font-semibold">{t("bridges.title")}</h1>
          <p className="max-w-3xl text-sm text-slate-600">{t("bridges.intro")}</p>
        </div>
        {canManage && !registering ? (
          <button type="button" onClick={() => setRegistering(true)} className="ml-auto shrink-0 rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
            {t("bridges.register")}
          </button>
        ) : null}
      </div>
      {notice ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900">
          {notice}
        </p>
      ) : null}
      {registering ? (
        <div>
          <RegisterBridgeForm
            onDone={(id) => {
              setRegistering(false);
              setNotice(t("bridges.registered", { id }));
            }}
          />
          <button type="button" onClick={() => setRegistering(false)} className="mt-2 text-xs text-slate-600 underline">
            {tc("cancel")}
          </button>
        </div>
      ) : null}
      {bridges.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {bridges.error ? <ErrorNotice error={bridges.error} onRetry={() => void bridges.refetch()} /> : null}
      {bridges.isSuccess && list.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600">
          <p>{t("bridges.empty")}</p>
          <p className="mt-1">{canManage ? t("bridges.emptyAdmin") : t("bridges.emptyOthers")}</p>
        </div>
      ) : null}
      <ul className="space-y-2" data-testid="bridge-list">
        {list.map((b) => (
          <BridgeCard key={b.bridgeId} bridge={b} canManage={canManage} />
        ))}
      </ul>
    </div>
  );
}
