"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { OPERATIONS, nameFromId } from "@keyward/shared";
import { ErrorNotice, FieldError } from "../../components/ErrorNotice";
import { useLocale, useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { ConfirmByName } from "../ConfirmByName";
import { daysFrom, formatTime, isoUtc } from "../format";
import { ActionButton, buttonClass } from "../Permission";
import { useDeletedKeys, usePurgeKey, useRecoverKey } from "../queries";

/** Soft-deleted keys: when they were deleted, when they will be purged, recover or purge now. */
export function DeletedKeysPage() {
  const t = useT(keys);
  const { locale } = useLocale();
  const justDeleted = useSearchParams().get("deleted");
  const list = useDeletedKeys();
  const recover = useRecoverKey();
  const purge = usePurgeKey();
  const [purging, setPurging] = useState<string>();
  const [purged, setPurged] = useState<string>();
  const items = list.data?.pages.flatMap((p) => p.value) ?? [];
  const now = Math.floor(Date.now() / 1000);

  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">{t("deleted.title")}</h1>
      <p className="text-sm text-slate-600">{t("deleted.intro")}</p>
      {justDeleted && items.some((k) => nameFromId(k.recoveryId) === justDeleted) ? (
        <p role="status" className="rounded border border-slate-200 bg-white p-2 text-sm" data-testid="deleted-notice">
          {t("deleted.justDeleted", { name: justDeleted })}
        </p>
      ) : null}
      {recover.isSuccess ? (
        <p role="status" className="rounded border border-emerald-200 bg-emerald-50 p-2 text-sm text-emerald-900" data-testid="recovered-notice">
          {t("deleted.recovered", { name: recover.variables })}{" "}
          <Link href={`/inventory/${encodeURIComponent(recover.variables)}`} className="underline">
            {t("deleted.open")}
          </Link>
        </p>
      ) : null}
      {purged ? (
        <p role="status" className="rounded border border-slate-200 bg-white p-2 text-sm" data-testid="purged-notice">
          {t("deleted.purged", { name: purged })}
        </p>
      ) : null}
      {list.isPending ? <p className="text-sm text-slate-500" role="status">{t("deleted.loading")}</p> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && items.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid="deleted-empty">
          {t("deleted.empty")}
        </p>
      ) : null}
      {items.length ? (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="deleted-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1.5 font-medium">{t("col.name")}</th>
                <th scope="col" className="px-2 py-1.5 font-medium">{t("deleted.deletedOn")}</th>
                <th scope="col" className="px-2 py-1.5 font-medium">{t("deleted.purgeOn")}</th>
                <th scope="col" className="px-2 py-1.5 font-medium">{t("attr.recoveryLevel")}</th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  <span className="sr-only">{t("deleted.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => {
                const name = nameFromId(k.recoveryId);
                const failed = (recover.isError && recover.variables === name ? recover.error : undefined) ?? (purge.isError && purge.variables === name && purging === undefined ? purge.error : undefined);
                return (
                  <tr key={name} className={`border-b border-slate-100 last:border-0 ${name === justDeleted ? "bg-amber-50" : ""}`} data-testid="deleted-row">
                    <td className="px-2 py-1.5 font-mono text-xs">{name}</td>
                    <td className="whitespace-nowrap px-2 py-1.5 text-xs" title={isoUtc(k.deletedDate)}>
                      {formatTime(k.deletedDate, locale)}
                    </td>
                    <td className="whitespace-nowrap px-2 py-1.5 text-xs" title={isoUtc(k.scheduledPurgeDate)}>
                      {formatTime(k.scheduledPurgeDate, locale)}
                      <span className="ml-1 text-slate-500">({t("deleted.inDays", { days: Math.max(0, daysFrom(now, k.scheduledPurgeDate)) })})</span>
                    </td>
                    <td className="px-2 py-1.5 text-xs">{k.attributes.recoveryLevel ?? "—"}</td>
                    <td className="px-2 py-1.5 text-right">
                      <div className="inline-flex gap-2">
                        <ActionButton action={OPERATIONS.recoverDeletedKey} className={buttonClass.secondary} disabled={recover.isPending} onClick={() => recover.mutate(name)} data-testid="recover">
                          {recover.isPending && recover.variables === name ? t("working") : t("deleted.recover")}
                        </ActionButton>
                        <ActionButton action={OPERATIONS.purgeDeletedKey} className={buttonClass.danger} onClick={() => setPurging(name)} data-testid="purge">
                          {t("deleted.purge")}
                        </ActionButton>
                      </div>
                      <FieldError error={failed} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <button type="button" className={buttonClass.secondary} onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="deleted-more">
          {list.isFetchingNextPage ? t("working") : t("deleted.more")}
        </button>
      ) : null}
      <ConfirmByName
        open={purging !== undefined}
        name={purging ?? ""}
        title={t("purge.title", { name: purging ?? "" })}
        confirmLabel={t("purge.confirm")}
        pending={purge.isPending}
        error={purge.error}
        onClose={() => {
          setPurging(undefined);
          purge.reset();
        }}
        onConfirm={() => {
          const name = purging;
          if (name === undefined) return;
          purge.mutate(name, {
            onSuccess: () => {
              setPurged(name);
              setPurging(undefined);
            },
          });
        }}
        testId="purge-dialog"
      >
        <p className="font-medium text-red-800">{t("purge.irreversible")}</p>
        <p>{t("purge.explain")}</p>
      </ConfirmByName>
    </div>
  );
}
