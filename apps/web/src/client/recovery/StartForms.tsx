"use client";

import { OPERATIONS } from "@keyward/shared";
import { useBridges } from "../bridges/queries";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { recovery } from "../i18n/messages/recovery";
import { ActionButton, buttonClass, usePermission } from "../inventory/Permission";
import { useQuorum } from "../quorum/queries";
import { usePrincipals } from "./queries";
import { StartRecoveryForm } from "./StartRecoveryForm";
import { StartRehearsalForm } from "./StartRehearsalForm";

/** The forms, with what they choose from: the domain's custodians, the registered bridges, the known principals. */
function Forms({ rehearse, recover }: { rehearse: boolean; recover: boolean }) {
  const t = useT(recovery);
  const tc = useT(common);
  const quorum = useQuorum();
  const bridges = useBridges();
  const principals = usePrincipals();
  const failed = quorum.error ?? bridges.error;
  if (failed) return <ErrorNotice error={failed} onRetry={() => void Promise.all([quorum.refetch(), bridges.refetch()])} />;
  if (!quorum.data || !bridges.data) return <p className="text-sm text-slate-600">{tc("loading")}</p>;
  const domain = quorum.data.domain;
  if (!domain) return <p className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600">{t("noDomain")}</p>;
  const choices = { custodians: quorum.data.custodians, bridges: bridges.data.bridges, principals: principals.data };
  return (
    <>
      {rehearse ? <StartRehearsalForm choices={choices} /> : null}
      {recover ? <StartRecoveryForm choices={choices} required={domain.required} /> : null}
    </>
  );
}

/**
 * What administrators start here. Those whose roles may not are shown the actions disabled, each naming
 * the permission it needs, and nothing is asked of the server for them.
 */
export function StartForms() {
  const t = useT(recovery);
  const rehearse = usePermission(OPERATIONS.downloadSecurityDomain);
  const recover = usePermission(OPERATIONS.uploadSecurityDomain);
  if (!rehearse.known) return null;
  return (
    <>
      {rehearse.allowed || recover.allowed ? <Forms rehearse={rehearse.allowed} recover={recover.allowed} /> : null}
      {rehearse.allowed && recover.allowed ? null : (
        <div className="flex flex-wrap gap-2" data-testid="start-not-allowed">
          {rehearse.allowed ? null : (
            <ActionButton action={OPERATIONS.downloadSecurityDomain} className={buttonClass.secondary}>
              {t("rehearse.start")}
            </ActionButton>
          )}
          {recover.allowed ? null : (
            <ActionButton action={OPERATIONS.uploadSecurityDomain} className={buttonClass.secondary}>
              {t("recover.start")}
            </ActionButton>
          )}
        </div>
      )}
    </>
  );
}
