"use client";

import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";
import { KeyTable } from "./KeyTable";
import { Pager } from "./Pager";
import { queryIsFiltered } from "./query-state";
import { useKeySearch } from "./queries";
import { parameterOf, SearchFilters } from "./SearchFilters";
import { ExpiryTimeline } from "./timeline/ExpiryTimeline";
import { useSearchState } from "./useSearchState";

/** The key inventory: server-side search, filters and pages, state in the URL, and the expiry timeline. */
export function InventoryPage() {
  const t = useT(keys);
  const { raw, query, update, reset } = useSearchState();
  const search = useKeySearch(raw);
  const data = search.data;
  // A refusal that names a filter is shown next to it; anything else above the list.
  const listError = search.isError && parameterOf(search.error) === undefined ? search.error : undefined;
  const now = Math.floor(Date.now() / 1000);

  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-lg font-semibold">{t("list.title")}</h1>
        {data ? (
          <p className="text-sm text-slate-600" data-testid="key-total">
            {t("list.total", { total: data.total.toLocaleString() })}
          </p>
        ) : null}
      </div>
      <SearchFilters query={query} update={update} reset={reset} error={search.isError ? search.error : undefined} />
      {listError ? <ErrorNotice error={listError} onRetry={() => void search.refetch()} /> : null}
      {search.isPending ? (
        <p className="rounded border border-slate-200 bg-white p-6 text-sm text-slate-500" role="status" data-testid="key-list-loading">
          {t("list.loading")}
        </p>
      ) : null}
      {data && !search.isError ? (
        <div className={`space-y-2 ${search.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={search.isFetching}>
          {data.items.length === 0 ? (
            <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid="key-list-empty">
              {data.total > 0 ? t("list.pastEnd") : queryIsFiltered(query) ? t("list.noMatch") : t("list.empty")}
              {queryIsFiltered(query) || data.total > 0 ? (
                <button type="button" onClick={reset} className="ml-2 text-sky-800 underline">
                  {t("filter.reset")}
                </button>
              ) : null}
            </div>
          ) : (
            <KeyTable items={data.items} query={query} update={update} now={now} />
          )}
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={(page) => update({ page })} />
        </div>
      ) : null}
      <ExpiryTimeline after={!search.isPending} />
    </div>
  );
}
