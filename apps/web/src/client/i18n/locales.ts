/** The languages our first users read. English is the source catalog; the others must match its keys. */
export const LOCALES = ["en", "ja", "zh-TW"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", ja: "日本語", "zh-TW": "繁體中文" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * A namespace's catalog in every language: the English strings define the keys and the type makes a
 * missing or extra translation a compile error. `{name}` placeholders are filled by `t`.
 */
export type Catalog<K extends string> = Record<Locale, Record<K, string>>;

export function defineCatalog<K extends string>(catalog: Catalog<K>): Catalog<K> {
  return catalog;
}

export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
