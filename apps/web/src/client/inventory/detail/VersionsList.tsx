"use client";

import Link from "next/link";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useLocale, useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { formatTime, isoUtc, versionOf } from "../format";
import { Panel } from "../Panel";
import { useKeyVersions } from "../queries";

/** Every version, newest first; choosing one shows and edits that version. */
export function VersionsList({ name, selected, latest }: { name: string; selected: string; latest: string }) {
  const t = useT(keys);
  const { locale } = useLocale();
  const versions = useKeyVersions(name);
  const items = [...(versions.data ?? [])].reverse();
  const base = `/inventory/${encodeURIComponent(name)}`;
  return (
    <Panel
      title={
        <>
          {t("versions.title")} {versions.data ? <span className="font-normal text-slate-500">({versions.data.length})</span> : null}
        </>
      }
    >
      {versions.isPending ? <p className="mt-2 text-sm text-slate-500">{t("versions.loading")}</p> : null}
      {versions.isError ? <ErrorNotice error={versions.error} onRetry={() => void versions.refetch()} /> : null}
      {items.length ? (
        <table className="mt-2 w-full text-xs" data-testid="versions">
          <thead className="text-left text-slate-500">
            <tr>
              {[t("versions.version"), t("col.created"), t("col.state"), t("col.expires")].map((label) => (
                <th key={label} scope="col" className="py-1 font-medium">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((v) => {
              const ver = versionOf(v.kid);
              const current = ver === selected;
              return (
                <tr key={ver} className={current ? "bg-sky-50" : undefined} data-testid="version-row">
                  <td className="py-1 font-mono">
                    <Link href={ver === latest ? base : `${base}?version=${ver}`} prefetch={false} aria-current={current ? "true" : undefined} title={ver} className="text-sky-800 underline-offset-2 hover:underline">
                      {ver.slice(0, 12)}…
                    </Link>
                    {ver === latest ? <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] text-slate-600">{t("versions.latest")}</span> : null}
                  </td>
                  <td className="py-1" title={isoUtc(v.attributes.created)}>
                    {formatTime(v.attributes.created, locale)}
                  </td>
                  <td className="py-1">{v.attributes.enabled ? t("state.enabled") : t("state.disabled")}</td>
                  <td className="py-1" title={isoUtc(v.attributes.exp)}>
                    {v.attributes.exp === undefined ? t("exp.never") : formatTime(v.attributes.exp, locale)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
