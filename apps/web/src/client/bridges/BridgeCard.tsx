"use client";

import type { BridgeWithStatus } from "@keyward/shared";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";
import { useDateText } from "../ceremony/words";
import { BridgeStatusBadge } from "./BridgeStatusBadge";
import { Preflight } from "./Preflight";
import { useCheckBridge } from "./queries";
import { RemoveBridge } from "./RemoveBridge";
import { Thumbprint } from "./Thumbprint";

/** One registered bridge: who it is, whether it answers as registered now, and what its HSM can do. */
export function BridgeCard({ bridge, canManage }: { bridge: BridgeWithStatus; canManage: boolean }) {
  const t = useT(ceremony);
  const date = useDateText();
  const check = useCheckBridge();
  const s = bridge.status;
  return (
    <li data-testid={`bridge-${bridge.bridgeId}`} className="rounded border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="font-mono text-sm font-semibold">{bridge.bridgeId}</h2>
        <BridgeStatusBadge state={s.state} />
        <span className="text-xs text-slate-500">
          {t("bridges.checkedAt", { time: date(s.checkedAt) })}
          {s.latencyMs !== undefined ? ` · ${t("bridges.latency", { ms: Math.round(s.latencyMs) })}` : ""}
        </span>
        <div className="ml-auto flex items-center gap-2">
          <button
            type="button"
            onClick={() => check.mutate(bridge.bridgeId)}
            disabled={check.isPending}
            className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
          >
            {check.isPending ? t("bridges.checking") : t("bridges.check")}
          </button>
          {canManage ? <RemoveBridge bridgeId={bridge.bridgeId} /> : null}
        </div>
      </div>
      {s.message && s.state !== "online" ? (
        <p role="status" className="mt-1 text-xs text-red-800">
          {s.message}
        </p>
      ) : null}
      {check.error ? (
        <div className="mt-2">
          <ErrorNotice error={check.error} />
        </div>
      ) : null}
      <div className="mt-2 grid gap-3 md:grid-cols-2">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-xs">
          <dt className="text-slate-500">{t("bridges.url")}</dt>
          <dd className="break-all font-mono">{bridge.url}</dd>
          <dt className="text-slate-500">{t("bridges.thumbprint")}</dt>
          <dd>
            <Thumbprint value={bridge.thumbprint} testid="bridge-thumbprint" />
            {s.presentedThumbprint && s.presentedThumbprint !== bridge.thumbprint ? (
              <p className="mt-1 text-red-800">{t("bridges.presented", { thumbprint: s.presentedThumbprint })}</p>
            ) : null}
          </dd>
          {bridge.description ? (
            <>
              <dt className="text-slate-500">{t("bridges.field.description")}</dt>
              <dd>{bridge.description}</dd>
            </>
          ) : null}
        </dl>
        <div>
          <h3 className="mb-1 text-xs font-medium text-slate-700">{t("bridges.preflight")}</h3>
          <Preflight status={s} />
        </div>
      </div>
      <p className="mt-2 text-xs text-slate-500">{t("bridges.registeredBy", { name: bridge.registeredBy.name ?? bridge.registeredBy.id, date: date(bridge.registeredAt) })}</p>
    </li>
  );
}
