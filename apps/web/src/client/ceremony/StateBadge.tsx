"use client";

import type { CeremonyState, TargetState } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";

const TONE = {
  good: "border-emerald-300 bg-emerald-50 text-emerald-800",
  busy: "border-sky-300 bg-sky-50 text-sky-800",
  wait: "border-amber-300 bg-amber-50 text-amber-900",
  bad: "border-red-300 bg-red-50 text-red-800",
  idle: "border-slate-300 bg-slate-50 text-slate-700",
} as const;

const CEREMONY_TONE: Record<CeremonyState, keyof typeof TONE> = { running: "busy", "awaiting-file": "wait", interrupted: "wait", completed: "good", failed: "bad" };
const TARGET_TONE: Record<TargetState, keyof typeof TONE> = { pending: "idle", generated: "busy", wrapped: "busy", imported: "busy", proven: "good", failed: "bad" };

function Badge({ tone, testid, children }: { tone: keyof typeof TONE; testid: string; children: string }) {
  return (
    <span data-testid={testid} className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${TONE[tone]}`}>
      {children}
    </span>
  );
}

export function CeremonyStateBadge({ state }: { state: CeremonyState }) {
  const t = useT(ceremony);
  return (
    <Badge tone={CEREMONY_TONE[state]} testid={`ceremony-state-${state}`}>
      {t(`state.${state}`)}
    </Badge>
  );
}

export function TargetStateBadge({ state }: { state: TargetState }) {
  const t = useT(ceremony);
  return (
    <Badge tone={TARGET_TONE[state]} testid={`target-state-${state}`}>
      {t(`target.${state}`)}
    </Badge>
  );
}
