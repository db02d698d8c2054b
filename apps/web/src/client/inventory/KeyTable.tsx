"use client";

import Link from "next/link";
import type { KeySearchItem, KeySearchQuery, KeySearchSort } from "@keyward/shared";
import { useLocale, useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";
import { DAY_SECONDS, formatTime, isoUtc, keyTypeLabel } from "./format";

/** Expiry within this many days is shown as a warning. */
export const SOON_DAYS = 30;

function SortHeader({ sort, label, query, update }: { sort: KeySearchSort; label: string; query: KeySearchQuery; update: (p: Partial<KeySearchQuery>) => void }) {
  const t = useT(keys);
  const active = query.sort === sort;
  const next = active && query.dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : "none"} className="px-2 py-1.5 text-left font-medium">
      <button
        type="button"
        data-testid={`sort-${sort}`}
        onClick={() => update({ sort, dir: next })}
        title={t(next === "asc" ? "sort.asc" : "sort.desc", { column: label })}
        className="inline-flex items-center gap-1 rounded hover:text-slate-950 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      >
        {label}
        <span aria-hidden className={active ? "text-slate-900" : "text-slate-300"}>
          {active && query.dir === "desc" ? "▼" : "▲"}
        </span>
      </button>
    </th>
  );
}

function ExpiryCell({ exp, now, locale }: { exp: number | null; now: number; locale: string }) {
  const t = useT(keys);
  if (exp === null) return <span className="text-slate-400">{t("exp.never")}</span>;
  const expired = exp < now;
  const soon = !expired && exp - now <= SOON_DAYS * DAY_SECONDS;
  return (
    <span title={isoUtc(exp)} className={expired ? "font-medium text-red-700" : soon ? "text-amber-700" : undefined}>
      {formatTime(exp, locale)}
      {expired ? ` · ${t("exp.expired")}` : null}
    </span>
  );
}

/** Row links are not prefetched: fifty prefetches would compete with the page's own requests. */
export function KeyTable({ items, query, update, now }: { items: KeySearchItem[]; query: KeySearchQuery; update: (p: Partial<KeySearchQuery>) => void; now: number }) {
  const t = useT(keys);
  const { locale } = useLocale();
  const plain = "px-2 py-1.5 text-left font-medium";
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="key-table">
        <caption className="sr-only">{t("list.caption")}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
          <tr>
            <SortHeader sort="name" label={t("col.name")} query={query} update={update} />
            {[t("col.type"), t("col.state"), t("col.origin"), t("col.tags")].map((label) => (
              <th key={label} scope="col" className={plain}>
                {label}
              </th>
            ))}
            <SortHeader sort="created" label={t("col.created")} query={query} update={update} />
            <SortHeader sort="updated" label={t("col.updated")} query={query} update={update} />
            <SortHeader sort="expires" label={t("col.expires")} query={query} update={update} />
          </tr>
        </thead>
        <tbody>
          {items.map((k) => {
            const tags = Object.entries(k.tags);
            return (
              <tr key={k.name} data-testid="key-row" className="border-b border-slate-100 last:border-0 hover:bg-slate-50">
                <td className="px-2 py-1.5 font-mono text-xs">
                  <Link href={`/inventory/${encodeURIComponent(k.name)}`} prefetch={false} className="text-sky-800 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500">
                    {k.name}
                  </Link>
                  {k.managed ? <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] text-slate-600">{t("key.managed")}</span> : null}
                </td>
                <td className="whitespace-nowrap px-2 py-1.5">{keyTypeLabel(k)}</td>
                <td className="px-2 py-1.5">
                  <span className={k.enabled ? "text-emerald-700" : "text-slate-500"}>{k.enabled ? t("state.enabled") : t("state.disabled")}</span>
                </td>
                <td className="whitespace-nowrap px-2 py-1.5">{t(`origin.${k.origin}`)}</td>
                <td className="max-w-64 px-2 py-1.5">
                  <span className="line-clamp-1 text-xs text-slate-600" title={tags.map(([n, v]) => `${n}=${v}`).join("\n")}>
                    {tags.length ? tags.map(([n, v]) => (v ? `${n}=${v}` : n)).join(", ") : "—"}
                  </span>
                </td>
                <td className="whitespace-nowrap px-2 py-1.5 text-xs" title={isoUtc(k.created)}>
                  {formatTime(k.created, locale)}
                </td>
                <td className="whitespace-nowrap px-2 py-1.5 text-xs" title={isoUtc(k.updated)}>
                  {formatTime(k.updated, locale)}
                </td>
                <td className="whitespace-nowrap px-2 py-1.5 text-xs">
                  <ExpiryCell exp={k.exp} now={now} locale={locale} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
