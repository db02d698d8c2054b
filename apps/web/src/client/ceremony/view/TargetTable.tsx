"use client";

import { useId, useState } from "react";
import type { CeremonyTarget, TargetState } from "@keyward/shared";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { HeadRow } from "../HeadRow";
import { TargetStateBadge } from "../StateBadge";
import { useSpecText } from "../words";

type Filter = "all" | "open" | "failed";
const DONE: readonly TargetState[] = ["proven", "failed"];
const STEPS: readonly TargetState[] = ["generated", "wrapped", "imported", "proven"];
/** Rows drawn at first; a bulk ceremony of a thousand keys shows the rest on request. */
const FIRST_ROWS = 200;

/** Steps already passed, as a small track beside the words (the words alone carry the meaning). */
function Track({ target }: { target: CeremonyTarget }) {
  const steps = target.source === "existing" ? STEPS.filter((s) => s !== "generated") : STEPS;
  const reached = steps.indexOf(target.state);
  return (
    <span aria-hidden className="ml-2 inline-flex gap-0.5 align-middle">
      {steps.map((s, i) => (
        <span key={s} className={`inline-block h-1.5 w-3 rounded-sm ${target.state === "failed" ? "bg-red-300" : i <= reached ? "bg-emerald-500" : "bg-slate-200"}`} />
      ))}
    </span>
  );
}

/** Every key of the ceremony with its step, the `.byok` hash, the imported key and how it was proven. */
export function TargetTable({ targets }: { targets: CeremonyTarget[] }) {
  const t = useT(ceremony);
  const spec = useSpecText();
  const filterId = useId();
  const [filter, setFilter] = useState<Filter>("all");
  const [all, setAll] = useState(false);
  const shown = targets.filter((x) => filter === "all" || (filter === "failed" ? x.state === "failed" : !DONE.includes(x.state)));
  const rows = all ? shown : shown.slice(0, FIRST_ROWS);
  return (
    <section aria-labelledby="ceremony-keys" className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-2 flex items-center gap-3">
        <h2 id="ceremony-keys" className="text-sm font-semibold">
          {t("view.keys", { count: targets.length })}
        </h2>
        <label htmlFor={filterId} className="ml-auto text-xs text-slate-600">
          {t("view.filter")}
        </label>
        <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)} className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs">
          <option value="all">{t("filter.all")}</option>
          <option value="open">{t("filter.open")}</option>
          <option value="failed">{t("filter.failed")}</option>
        </select>
      </div>
      <div className="overflow-x-auto">
        <table data-testid="ceremony-targets" className="w-full text-left text-xs">
          <HeadRow
            className="text-slate-500"
            cellClassName="py-1 pr-3"
            labels={[t("col.name"), t("col.label"), t("col.spec"), t("col.step"), t("col.byok"), t("col.kid"), t("col.proof")]}
          />
          <tbody>
            {rows.map((x) => (
              <tr key={x.name} data-testid={`target-${x.name}`} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-3 font-mono">{x.name}</td>
                <td className="py-1 pr-3 font-mono">
                  {x.label}
                  <span className="block font-sans text-slate-500">{t(`source.${x.source}`)}</span>
                </td>
                <td className="whitespace-nowrap py-1 pr-3">{spec(x.spec)}</td>
                <td className="py-1 pr-3">
                  <span className="whitespace-nowrap">
                    <TargetStateBadge state={x.state} />
                    <Track target={x} />
                  </span>
                  {x.error ? (
                    <span data-testid="target-error" className="mt-0.5 block max-w-xs text-red-800">
                      {x.error}
                    </span>
                  ) : null}
                </td>
                <td className="max-w-[12rem] break-all py-1 pr-3 font-mono" data-testid="target-byok-sha256">
                  {x.byokSha256 ?? "—"}
                </td>
                <td className="max-w-[16rem] break-all py-1 pr-3 font-mono">{x.kid ?? "—"}</td>
                <td className="max-w-xs py-1">{x.proof ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p className="mt-2 text-xs text-slate-600">{t("filter.none")}</p> : null}
      {!all && shown.length > FIRST_ROWS ? (
        <button type="button" onClick={() => setAll(true)} className="mt-2 rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100">
          {t("wizard.previewMore", { count: shown.length - FIRST_ROWS })}
        </button>
      ) : null}
    </section>
  );
}
