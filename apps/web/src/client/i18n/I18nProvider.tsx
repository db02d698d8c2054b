"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { DEFAULT_LOCALE, format, isLocale, type Catalog, type Locale } from "./locales";

const STORAGE_KEY = "keyward.locale";

interface I18nState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18nState>({ locale: DEFAULT_LOCALE, setLocale: () => undefined });

/** The chosen language, remembered in this browser; `<html lang>` follows it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(DEFAULT_LOCALE);
  useEffect(() => {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) setLocaleState(saved);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useLocale(): I18nState {
  return useContext(I18nContext);
}

/** `const t = useT(keysCatalog); t("list.title", { count })` — typed by the catalog's keys. */
export function useT<K extends string>(catalog: Catalog<K>) {
  const { locale } = useContext(I18nContext);
  return useCallback((key: K, vars?: Record<string, string | number>) => format(catalog[locale][key], vars), [catalog, locale]);
}
