"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { CreateKmsImportRequest, WrappingAlgorithm } from "@keyward/shared";
import { useBridges } from "../bridges/queries";
import { ErrorNotice } from "../components/ErrorNotice";
import { Choice, Section, WizardHeading } from "../ceremony/wizard/Section";
import { useT } from "../i18n/I18nProvider";
import { kms } from "../i18n/messages/kms";
import { useCreateKmsImport, useKmsImportOptions } from "./queries";

const input = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500";
const labelClass = "flex flex-col gap-1 text-xs font-medium text-slate-700";

/** `/kms-imports/new`: the import form under its own title. */
export function NewKmsImport() {
  const t = useT(kms);
  return (
    <div className="space-y-4">
      <WizardHeading title={t("wizard.title")} intro={t("wizard.intro")} />
      <KmsImportForm />
    </div>
  );
}

/**
 * Bridge, KMS key, HSM key, wrapping algorithm, material expiry — checked by the server before anything
 * is made; once the job is made, its page. On `/kms-imports/new` and in the ceremony wizard.
 */
export function KmsImportForm() {
  const t = useT(kms);
  const router = useRouter();
  const bridges = useBridges();
  const create = useCreateKmsImport();
  const [bridgeId, setBridgeId] = useState("");
  const [keyKind, setKeyKind] = useState<"create" | "existing">("create");
  const [alias, setAlias] = useState("");
  const [description, setDescription] = useState("");
  const [keyId, setKeyId] = useState("");
  const [hsmSource, setHsmSource] = useState<"generate" | "existing">("generate");
  const [label, setLabel] = useState("");
  const [algorithm, setAlgorithm] = useState<WrappingAlgorithm | "">("");
  const [pkcs1OptIn, setPkcs1OptIn] = useState(false);
  const [days, setDays] = useState("");
  const options = useKmsImportOptions(bridgeId);
  const offered = options.data?.algorithms ?? [];
  const chosen = offered.find((a) => a.algorithm === algorithm) ? algorithm : (offered.find((a) => !a.deprecated)?.algorithm ?? "");

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const body: CreateKmsImportRequest = {
      target: { kind: "local-kms" },
      bridgeId,
      key: keyKind === "create" ? { kind: "create", ...(alias ? { alias } : {}), ...(description ? { description } : {}) } : { kind: "existing", keyId: keyId.trim() },
      hsmKey: { source: hsmSource, label: label.trim() },
      algorithm: chosen,
      ...(chosen === "RSAES_PKCS1_V1_5" ? { allowDeprecatedPkcs1: pkcs1OptIn } : {}),
      ...(days.trim() ? { materialExpiresInDays: Number(days) } : {}),
    };
    create.mutate(body, { onSuccess: (job) => router.push(`/kms-imports/${encodeURIComponent(job.id)}`) });
  }

  return (
    <form onSubmit={submit} className="max-w-3xl space-y-4" data-testid="kms-import-wizard">
      <Section title={t("wizard.target")} testid="kms-wizard-target">
        <Choice name="target" value="local-kms" checked onChange={() => undefined} label={t("wizard.target.local")} />
      </Section>

      <Section title={t("wizard.bridge")} testid="kms-wizard-bridge">
        {bridges.error ? <ErrorNotice error={bridges.error} onRetry={() => void bridges.refetch()} /> : null}
        {bridges.data?.bridges.length === 0 ? <p className="text-sm text-slate-600">{t("wizard.bridge.none")}</p> : null}
        {bridges.data?.bridges.map((b) => (
          <Choice key={b.bridgeId} name="bridge" value={b.bridgeId} checked={bridgeId === b.bridgeId} onChange={() => setBridgeId(b.bridgeId)} testid={`kms-bridge-${b.bridgeId}`} label={<span className="font-mono">{b.bridgeId}</span>} />
        ))}
      </Section>

      <Section title={t("wizard.key")} testid="kms-wizard-key">
        <Choice name="key" value="create" checked={keyKind === "create"} onChange={() => setKeyKind("create")} testid="kms-key-create" label={t("wizard.key.create")}>
          {keyKind === "create" ? (
            <div className="grid gap-2 sm:grid-cols-2">
              <label className={labelClass}>
                {t("wizard.key.alias")}
                <input name="alias" value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="alias/payments/hsm" className={input} />
                <span className="font-normal text-slate-500">{t("wizard.key.aliasHint")}</span>
              </label>
              <label className={labelClass}>
                {t("wizard.key.description")}
                <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} className={input} />
              </label>
            </div>
          ) : null}
        </Choice>
        <Choice name="key" value="existing" checked={keyKind === "existing"} onChange={() => setKeyKind("existing")} testid="kms-key-existing" label={t("wizard.key.existing")}>
          {keyKind === "existing" ? (
            <label className={labelClass}>
              {t("wizard.key.keyId")}
              <input name="keyId" value={keyId} onChange={(e) => setKeyId(e.target.value)} required className={`${input} font-mono`} />
            </label>
          ) : null}
        </Choice>
      </Section>

      <Section title={t("wizard.hsm")} testid="kms-wizard-hsm">
        <Choice name="hsm" value="generate" checked={hsmSource === "generate"} onChange={() => setHsmSource("generate")} testid="kms-hsm-generate" label={t("wizard.hsm.generate")} />
        <Choice name="hsm" value="existing" checked={hsmSource === "existing"} onChange={() => setHsmSource("existing")} testid="kms-hsm-existing" label={t("wizard.hsm.existing")}>
          {hsmSource === "existing" && options.data && options.data.hsmKeys.length === 0 ? <p className="text-xs text-slate-600">{t("wizard.hsm.noKeys")}</p> : null}
        </Choice>
        <label className={labelClass}>
          {t("wizard.hsm.label")}
          {hsmSource === "existing" && options.data?.hsmKeys.length ? (
            <select name="label" value={label} onChange={(e) => setLabel(e.target.value)} required className={input}>
              <option value="" />
              {options.data.hsmKeys.map((k) => (
                <option key={k.label} value={k.label}>
                  {k.label}
                  {k.kcv ? ` (KCV ${k.kcv})` : ""}
                </option>
              ))}
            </select>
          ) : (
            <input name="label" value={label} onChange={(e) => setLabel(e.target.value)} required className={`${input} font-mono`} />
          )}
        </label>
      </Section>

      <Section title={t("wizard.algorithm")} testid="kms-wizard-algorithm">
        <p className="text-xs text-slate-600">{t("wizard.algorithm.hint")}</p>
        {bridgeId && options.isPending ? <p className="text-sm text-slate-600">{t("wizard.algorithm.loading")}</p> : null}
        {options.error ? <ErrorNotice error={options.error} onRetry={() => void options.refetch()} /> : null}
        {options.data && offered.length === 0 ? <p className="text-sm text-red-700">{t("wizard.algorithm.none")}</p> : null}
        {offered.map((a) => (
          <Choice key={a.algorithm} name="algorithm" value={a.algorithm} checked={chosen === a.algorithm} onChange={() => setAlgorithm(a.algorithm)} testid={`kms-alg-${a.algorithm}`} label={<span className="font-mono">{a.algorithm}</span>}>
            {a.deprecated ? (
              <div role="note" className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900">
                <p>{t("wizard.pkcs1.warning")}</p>
                <label className="mt-1 flex items-center gap-2">
                  <input type="checkbox" checked={pkcs1OptIn} onChange={(e) => setPkcs1OptIn(e.target.checked)} data-testid="kms-pkcs1-optin" />
                  {t("wizard.pkcs1.optIn")}
                </label>
              </div>
            ) : null}
          </Choice>
        ))}
      </Section>

      <Section title={t("wizard.expiry")} testid="kms-wizard-expiry">
        <label className={labelClass}>
          {t("wizard.expiry.days")}
          <input name="materialExpiresInDays" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className={`${input} max-w-40`} />
          <span className="font-normal text-slate-500">{t("wizard.expiry.hint")}</span>
        </label>
      </Section>

      {create.error ? <ErrorNotice error={create.error} /> : null}
      <button
        type="submit"
        data-testid="kms-import-submit"
        disabled={!bridgeId || !chosen || create.isPending}
        className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-50"
      >
        {create.isPending ? t("wizard.submitting") : t("wizard.submit")}
      </button>
    </form>
  );
}
