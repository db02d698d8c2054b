"use client";

import { useLocale, useT } from "../i18n/I18nProvider";
import { LOCALES, LOCALE_NAMES, isLocale } from "../i18n/locales";
import { common } from "../i18n/messages/common";

export function LanguageSwitcher() {
  const { locale, setLocale } = useLocale();
  const t = useT(common);
  return (
    <label className="flex items-center gap-1 text-xs text-slate-600">
      <span>{t("language")}</span>
      <select
        aria-label={t("language")}
        data-testid="language"
        value={locale}
        onChange={(e) => isLocale(e.target.value) && setLocale(e.target.value)}
        className="rounded border border-slate-300 bg-white px-1 py-0.5"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
