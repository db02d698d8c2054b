"use client";

import Link from "next/link";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { HeadRow } from "./HeadRow";
import { ceremony } from "../i18n/messages/ceremony";
import { ProgressBar } from "./ProgressBar";
import { useCeremonies } from "./queries";
import { CeremonyStateBadge } from "./StateBadge";
import { wizardKindSearch } from "./wizard-kind";
import { useDateText } from "./words";

/** `/ceremonies`: past and running ceremonies, newest first. */
export function CeremonyList() {
  const t = useT(ceremony);
  const tc = useT(common);
  const date = useDateText();
  const q = useCeremonies();
  const list = q.data?.ceremonies ?? [];
  return (
    <div className="space-y-4">
      <div className="flex items-start gap-4">
        <div>
          <h1 className="text-lg font-semibold">{t("list.title")}</h1>
          <p className="max-w-3xl text-sm text-slate-600">{t("list.intro")}</p>
        </div>
        <div className="ml-auto flex shrink-0 gap-2">
          <Link href={`/ceremonies/new${wizardKindSearch("", "kms-import")}`} data-testid="new-kms-ceremony" className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            {t("list.newKms")}
          </Link>
          <Link href="/ceremonies/new" data-testid="new-ceremony" className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
            {t("list.new")}
          </Link>
        </div>
      </div>
      {q.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {q.error ? <ErrorNotice error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isSuccess && list.length === 0 ? <p className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600">{t("list.empty")}</p> : null}
      {list.length ? (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table data-testid="ceremony-list" className="w-full text-left text-sm">
            <HeadRow
              className="bg-slate-50 text-xs text-slate-500"
              cellClassName="px-3 py-2"
              labels={[t("col.id"), t("col.started"), t("col.by"), t("col.bridge"), t("col.mode"), t("col.kek"), t("col.keys"), t("col.state")]}
            />
            <tbody>
              {list.map((c) => (
                <tr key={c.id} data-testid={`ceremony-row-${c.id}`} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2 font-mono text-xs">
                    <Link href={`/ceremonies/${encodeURIComponent(c.id)}`} className="underline">
                      {c.id}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-xs">{date(c.createdAt)}</td>
                  <td className="px-3 py-2 text-xs">{c.createdBy.name ?? c.createdBy.id}</td>
                  <td className="px-3 py-2 font-mono text-xs">{c.bridge.bridgeId}</td>
                  <td className="px-3 py-2 text-xs">{t(`mode.${c.mode}`)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{c.kek.name}</td>
                  <td className="px-3 py-2">
                    <ProgressBar progress={c.progress} compact />
                  </td>
                  <td className="px-3 py-2">
                    <CeremonyStateBadge state={c.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
