"use client";

import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { keys } from "../i18n/messages/keys";
import { buttonClass } from "./Permission";

/** Server-side pages: where we are, how many there are, previous and next. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const t = useT(keys);
  const tc = useT(common);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label={t("pager.label")} className="flex items-center justify-between gap-3 text-sm">
      <p data-testid="pager-status" aria-live="polite" className="text-slate-600">
        {t("pager.showing", { first: first.toLocaleString(), last: last.toLocaleString(), total: total.toLocaleString() })}
      </p>
      <div className="flex items-center gap-2">
        <button type="button" className={buttonClass.secondary} disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="page-prev">
          {tc("page.prev")}
        </button>
        <span className="text-slate-600">{tc("page.of", { page, pages })}</span>
        <button type="button" className={buttonClass.secondary} disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="page-next">
          {tc("page.next")}
        </button>
      </div>
    </nav>
  );
}
