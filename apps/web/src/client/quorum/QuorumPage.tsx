"use client";

import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { quorum } from "../i18n/messages/quorum";
import { CustodianTable } from "./CustodianTable";
import { History } from "./History";
import { useQuorum } from "./queries";
import { ReviewPanel } from "./ReviewPanel";
import { TransferForm } from "./TransferForm";
import { Warnings } from "./Warnings";

const STATE = { provisioned: "state.provisioned", active: "state.active", "awaiting-restore": "state.awaiting-restore" } as const;

/** `/quorum`: the security domain's custodians, what the seed's advice finds about them, reviews and transfers. */
export function QuorumPage() {
  const t = useT(quorum);
  const tc = useT(common);
  const q = useQuorum();
  const record = q.data;
  const domain = record?.domain;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-lg font-semibold">{t("page.title")}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{t("page.intro")}</p>
      </div>
      {q.isPending ? <p className="text-sm text-slate-600">{tc("loading")}</p> : null}
      {q.error ? <ErrorNotice error={q.error} onRetry={() => void q.refetch()} /> : null}
      {record && !domain ? (
        <p data-testid="quorum-no-domain" className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600">
          {t("noDomain")}
        </p>
      ) : null}
      {record && domain ? (
        <>
          <dl className="flex flex-wrap gap-x-8 gap-y-2 rounded border border-slate-200 bg-white p-3 text-sm">
            <div>
              <dt className="text-xs text-slate-500">{t("state.label")}</dt>
              <dd data-testid="quorum-state">{t(STATE[domain.state])}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("quorum.label")}</dt>
              <dd data-testid="quorum-m-of-n" title={t("quorum.hint", { m: domain.required })}>
                {t("quorum.value", { m: domain.required, n: domain.total })}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("fingerprint")}</dt>
              <dd className="font-mono text-xs">{domain.fingerprint}</dd>
            </div>
          </dl>
          <Warnings record={record} />
          <ReviewPanel record={record} />
          <CustodianTable record={record} />
          <TransferForm record={record} />
          <History record={record} />
        </>
      ) : null}
    </div>
  );
}
