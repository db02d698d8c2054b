"use client";

import { useCallback } from "react";
import type { KeySpec } from "@keyward/shared";
import { useLocale, useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";

/** "RSA-3072", "EC P-256", "AES-256" — the same words everywhere a key type is shown. */
export function useSpecText() {
  const t = useT(ceremony);
  return useCallback(
    (spec: KeySpec) => (spec.kty === "RSA" ? t("spec.RSA", { size: spec.size }) : spec.kty === "EC" ? t("spec.EC", { crv: spec.crv }) : t("spec.oct", { size: spec.size })),
    [t],
  );
}

/** Dates and times in the reader's language, to the second (ceremony records are read as evidence). */
export function useDateText() {
  const { locale } = useLocale();
  return useCallback(
    (iso: string | undefined) => {
      if (!iso) return "";
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
    },
    [locale],
  );
}
