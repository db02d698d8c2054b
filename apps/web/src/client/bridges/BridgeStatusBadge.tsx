"use client";

import type { BridgeState } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";

const TONE: Record<BridgeState, string> = {
  online: "border-emerald-300 bg-emerald-50 text-emerald-800",
  offline: "border-slate-300 bg-slate-100 text-slate-700",
  "identity-mismatch": "border-red-300 bg-red-50 text-red-800",
  incompatible: "border-amber-300 bg-amber-50 text-amber-900",
  error: "border-red-300 bg-red-50 text-red-800",
};

export function BridgeStatusBadge({ state }: { state: BridgeState }) {
  const t = useT(ceremony);
  return (
    <span data-testid={`bridge-state-${state}`} className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${TONE[state]}`}>
      {t(`bridges.state.${state}`)}
    </span>
  );
}
