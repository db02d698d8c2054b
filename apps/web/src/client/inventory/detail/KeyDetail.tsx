"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { OPERATIONS, familyOf, type KeyBundleOut } from "@keyward/shared";
import { ApiError } from "../../api/errors";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { ConfirmByName } from "../ConfirmByName";
import { keyTypeLabel, modulusBits, versionOf } from "../format";
import { ActionButton, buttonClass } from "../Permission";
import { useDeleteKey, useKey } from "../queries";
import { AttributesPanel } from "./AttributesPanel";
import { PublicKeyPanel } from "./PublicKeyPanel";
import { ReleasePolicyEditor } from "./ReleasePolicyEditor";
import { RotationPolicyPanel } from "./RotationPolicyPanel";
import { TagsEditor } from "./TagsEditor";
import { VersionsList } from "./VersionsList";

const typeLabel = (b: KeyBundleOut) => keyTypeLabel({ kty: b.key.kty, size: familyOf(b.key.kty) === "RSA" && b.key.n ? modulusBits(b.key.n) : null, crv: b.key.crv ?? null });

function DeleteKey({ name, recoverableDays }: { name: string; recoverableDays: number | undefined }) {
  const t = useT(keys);
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const del = useDeleteKey(name);
  return (
    <>
      <ActionButton action={OPERATIONS.deleteKey} className={buttonClass.danger} onClick={() => setOpen(true)} data-testid="key-delete">
        {t("delete.button")}
      </ActionButton>
      <ConfirmByName
        open={open}
        name={name}
        title={t("delete.title", { name })}
        confirmLabel={t("delete.confirm")}
        pending={del.isPending}
        error={del.error}
        onClose={() => {
          setOpen(false);
          del.reset();
        }}
        onConfirm={() => del.mutate(undefined, { onSuccess: () => router.push(`/deleted?deleted=${encodeURIComponent(name)}`) })}
        testId="delete-dialog"
      >
        <p>{t("delete.explain", { days: recoverableDays ?? 90 })}</p>
        <p>{t("delete.effect")}</p>
      </ConfirmByName>
    </>
  );
}

/** One key: its versions, the chosen version's attributes, tags, public key, policies, and soft delete. */
export function KeyDetail({ name }: { name: string }) {
  const t = useT(keys);
  const wanted = useSearchParams().get("version") ?? undefined;
  const latest = useKey(name, undefined);
  const chosen = useKey(name, wanted);
  const bundle = chosen.data;

  if (latest.isError || chosen.isError) {
    const err = latest.error ?? chosen.error;
    const missing = err instanceof ApiError && err.status === 404;
    return (
      <div className="space-y-3">
        <Link href="/inventory" className="text-sm text-sky-800 underline">
          ← {t("detail.back")}
        </Link>
        {missing ? (
          <div role="alert" className="rounded border border-slate-300 bg-white p-4 text-sm" data-testid="key-missing">
            <p>{t("detail.missing", { name })}</p>
            <Link href="/deleted" className="text-sky-800 underline">
              {t("detail.seeDeleted")}
            </Link>
          </div>
        ) : (
          <ErrorNotice error={err} onRetry={() => void Promise.all([latest.refetch(), chosen.refetch()])} />
        )}
      </div>
    );
  }
  if (!bundle || !latest.data) return <p className="text-sm text-slate-500" role="status">{t("detail.loading")}</p>;

  const version = versionOf(bundle.key.kid);
  const latestVersion = versionOf(latest.data.key.kid);
  const keyName = decodeURIComponent(new URL(bundle.key.kid).pathname.split("/")[2] ?? name);
  return (
    <div className="space-y-4" data-testid="key-detail">
      <Link href="/inventory" className="text-sm text-sky-800 underline">
        ← {t("detail.back")}
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="font-mono text-lg font-semibold" data-testid="key-name">
            {keyName}
          </h1>
          <p className="mt-0.5 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>{typeLabel(bundle)}</span>
            <span className={bundle.attributes.enabled ? "text-emerald-700" : "text-slate-500"} data-testid="key-state">
              {bundle.attributes.enabled ? t("state.enabled") : t("state.disabled")}
            </span>
            {bundle.managed ? <span className="rounded bg-slate-100 px-1 text-xs">{t("key.managed")}</span> : null}
            <span className="font-mono text-xs" title={version}>
              {version === latestVersion ? t("detail.latestVersion", { version: version.slice(0, 12) }) : t("detail.olderVersion", { version: version.slice(0, 12) })}
            </span>
          </p>
        </div>
        <DeleteKey name={keyName} recoverableDays={latest.data.attributes.recoverableDays} />
      </header>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-4">
          <AttributesPanel key={bundle.key.kid} name={keyName} version={version} bundle={bundle} />
          <VersionsList name={keyName} selected={version} latest={latestVersion} />
        </div>
        <div className="space-y-4">
          <TagsEditor key={bundle.key.kid} name={keyName} version={version} tags={bundle.tags ?? {}} />
          <PublicKeyPanel name={keyName} bundle={bundle} />
          <RotationPolicyPanel name={keyName} />
          <ReleasePolicyEditor key={bundle.key.kid} name={keyName} version={version} bundle={bundle} />
        </div>
      </div>
    </div>
  );
}
