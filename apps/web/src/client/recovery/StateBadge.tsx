"use client";

import type { RecoveryView, RehearsalView } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";

type State = `rehearsal.${RehearsalView["state"]}` | `recovery.${RecoveryView["state"]}`;

/** Green when it worked, red when it did not, amber while it waits on people, blue while a bridge works. */
const LOOK: Record<State, string> = {
  "rehearsal.pending": "border-amber-300 bg-amber-50 text-amber-900",
  "rehearsal.passed": "border-emerald-300 bg-emerald-50 text-emerald-800",
  "rehearsal.failed": "border-red-300 bg-red-50 text-red-800",
  "recovery.collecting": "border-amber-300 bg-amber-50 text-amber-900",
  "recovery.combining": "border-sky-300 bg-sky-50 text-sky-800",
  "recovery.completed": "border-emerald-300 bg-emerald-50 text-emerald-800",
  "recovery.failed": "border-red-300 bg-red-50 text-red-800",
};

/** A rehearsal's or recovery's state in words; `data-state` for tests and styles. */
export function StateBadge({ state }: { state: State }) {
  const t = useT(recovery);
  return (
    <span data-testid="state-badge" data-state={state} className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${LOOK[state]}`}>
      {t(state)}
    </span>
  );
}
