"use client";

import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import type { Problem } from "../wizard-model";

/** The words for problems found as you type (several may apply to one field). */
export function useProblemText() {
  const t = useT(ceremony);
  return (problems: readonly Problem[] | undefined): string | undefined => (problems?.length ? problems.map((p) => t(`problem.${p.code}`, p.vars)).join(" ") : undefined);
}
