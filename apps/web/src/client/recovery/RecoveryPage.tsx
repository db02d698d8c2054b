"use client";

import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { recovery } from "../i18n/messages/recovery";
import { MyApprovals } from "./MyApprovals";
import { useRecoveries, useRehearsals } from "./queries";
import { RecoveryList, RehearsalList } from "./RecentLists";
import { StartForms } from "./StartForms";

/** `/recovery`: what awaits the signed-in custodian's approval first, then what administrators start, then the record. */
export function RecoveryPage() {
  const t = useT(recovery);
  const tc = useT(common);
  const rehearsals = useRehearsals();
  const recoveries = useRecoveries();
  const failed = rehearsals.error ?? recoveries.error;
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-lg font-semibold">{t("page.title")}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{t("page.intro")}</p>
      </header>
      {failed ? <ErrorNotice error={failed} onRetry={() => void Promise.all([rehearsals.refetch(), recoveries.refetch()])} /> : null}
      {rehearsals.isPending || recoveries.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {rehearsals.data && recoveries.data ? <MyApprovals rehearsals={rehearsals.data} recoveries={recoveries.data} /> : null}
      <StartForms />
      {rehearsals.data ? <RehearsalList rehearsals={rehearsals.data} /> : null}
      {recoveries.data ? <RecoveryList recoveries={recoveries.data} /> : null}
    </div>
  );
}
