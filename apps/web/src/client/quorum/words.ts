"use client";

import type { QuorumWarningCode, QuorumWarningView } from "@keyward/shared";
import { useLocale, useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { formatDate, formatTime } from "../inventory/format";
import type { Problem } from "./draft";

export type QuorumKey = keyof (typeof quorum)["en"];

const WARNING_TEXT = {
  QUORUM_OF_ONE: "w.QUORUM_OF_ONE",
  QUORUM_UNREACHABLE: "w.QUORUM_UNREACHABLE",
  QUORUM_BELOW_RECOMMENDED: "w.QUORUM_BELOW_RECOMMENDED",
  SAME_PERSON: "w.SAME_PERSON",
  SAME_LOCATION: "w.SAME_LOCATION",
  CERTIFICATE_EXPIRED: "w.CERTIFICATE_EXPIRED",
  CERTIFICATE_EXPIRING: "w.CERTIFICATE_EXPIRING",
  RECORD_INCOMPLETE: "w.RECORD_INCOMPLETE",
} as const satisfies Record<QuorumWarningCode, QuorumKey>;
/** Shares gathered up to the quorum are forbidden, not just discouraged: they read differently. */
const WARNING_ERROR_TEXT: Partial<Record<QuorumWarningCode, QuorumKey>> = { SAME_PERSON: "w.SAME_PERSON.error", SAME_LOCATION: "w.SAME_LOCATION.error" };

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Dates of the quorum record (ISO strings from the API) in the reader's language. */
export function useQuorumDates() {
  const { locale } = useLocale();
  return { date: (iso: string) => formatDate(seconds(iso), locale), time: (iso: string) => formatTime(seconds(iso), locale) };
}

/** A finding in the reader's language, from its code and params (the server's English `message` is for API callers). */
export function useWarningText() {
  const t = useT(quorum);
  const { date } = useQuorumDates();
  return (w: QuorumWarningView) => {
    const key = (w.severity === "error" ? WARNING_ERROR_TEXT[w.code] : undefined) ?? WARNING_TEXT[w.code];
    const { notAfter, ...params } = w.params;
    return t(key, { ...params, ...(notAfter ? { date: date(notAfter) } : {}) });
  };
}

/** A form problem (draft.ts) in the reader's language. */
export function useProblemText() {
  const t = useT(quorum);
  return (problem: Problem | undefined): string | undefined => {
    if (!problem) return undefined;
    const { key, ...vars } = problem;
    return t(key, vars);
  };
}
