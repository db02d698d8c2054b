"use client";

import { useT } from "../i18n/I18nProvider";
import { recovery } from "../i18n/messages/recovery";
import type { Problem } from "./draft";

/** A form problem (draft.ts) in the reader's language. */
export function useProblemText() {
  const t = useT(recovery);
  return (problem: Problem | undefined): string | undefined => {
    if (!problem) return undefined;
    const { key, ...vars } = problem;
    return t(key, vars);
  };
}
