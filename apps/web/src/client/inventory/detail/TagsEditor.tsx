"use client";

import { useState } from "react";
import { MAX_TAGS, MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH, OPERATIONS, tagLength, type Tags } from "@keyward/shared";
import { FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { Panel, SaveRow } from "../Panel";
import { buttonClass, inputClass } from "../Permission";
import { useUpdateKey } from "../queries";
import { checkDraft, newRow, rowsFromTags, tagsFromRows, type RowProblem, type TagRow } from "./tags-draft";

const PROBLEM_TEXT = {
  TAG_NAME_EMPTY: "tags.problem.nameEmpty",
  TAG_NAME_LENGTH: "tags.problem.nameLength",
  TAG_VALUE_LENGTH: "tags.problem.valueLength",
  TAG_NAME_DUPLICATE: "tags.problem.duplicate",
} as const satisfies Record<RowProblem, string>;

/** A tag's name or value: its length against the limit as you type, and what is wrong with it. */
function TagField(props: { label: string; value: string; onChange: (v: string) => void; problem: RowProblem | undefined; limit: number; placeholder: string; testId: string }) {
  const t = useT(keys);
  const { label, value, onChange, problem, limit, placeholder, testId } = props;
  return (
    <div className="flex-1">
      <input
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(problem)}
        className={`${inputClass(Boolean(problem))} w-full font-mono text-xs`}
        data-testid={testId}
        placeholder={placeholder}
      />
      <div className="flex justify-between gap-2">
        <span className="text-xs text-red-700">{problem ? t(PROBLEM_TEXT[problem], { max: limit }) : null}</span>
        <span className={`text-[10px] ${tagLength(value) > limit ? "text-red-700" : "text-slate-400"}`}>
          {tagLength(value)}/{limit}
        </span>
      </div>
    </div>
  );
}

const sameTags = (a: Tags, b: Tags) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Tags of one version: Key Vault's limits enforced as you type; the server's refusal shown under the list. */
export function TagsEditor({ name, version, tags }: { name: string; version: string; tags: Tags }) {
  const t = useT(keys);
  const [rows, setRows] = useState<TagRow[]>(() => rowsFromTags(tags));
  const update = useUpdateKey(name, version);
  const check = checkDraft(rows);
  const draft = tagsFromRows(rows);
  const changed = !sameTags(draft, tags);
  const edit = (rowId: number, patch: Partial<TagRow>) => setRows((rs) => rs.map((r) => (r.id === rowId ? { ...r, ...patch } : r)));


  return (
    <Panel
      title={t("tags.title")}
      aside={
        <span className={`text-xs ${check.tooMany ? "font-medium text-red-700" : "text-slate-500"}`} data-testid="tags-count">
          {t("tags.count", { count: rows.length, max: MAX_TAGS })}
        </span>
      }
    >
      <form
        className="mt-2 space-y-2"
        data-testid="tags-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (check.ok && changed) update.mutate({ tags: draft });
        }}
      >
        {rows.length === 0 ? <p className="text-sm text-slate-500">{t("tags.none")}</p> : null}
        <ul className="space-y-1.5">
          {rows.map((row, i) => {
            const p = check.rows.get(row.id);
            return (
              <li key={row.id} className="flex items-start gap-2" data-testid="tag-row">
                <TagField label={t("tags.name", { n: i + 1 })} value={row.name} onChange={(name) => edit(row.id, { name })} problem={p?.name} limit={MAX_TAG_NAME_LENGTH} placeholder={t("tags.namePlaceholder")} testId="tag-name" />
                <TagField label={t("tags.value", { n: i + 1 })} value={row.value} onChange={(value) => edit(row.id, { value })} problem={p?.value} limit={MAX_TAG_VALUE_LENGTH} placeholder={t("tags.valuePlaceholder")} testId="tag-value" />
                <button type="button" className={`${buttonClass.secondary} px-2`} onClick={() => setRows((rs) => rs.filter((r) => r.id !== row.id))} aria-label={t("tags.remove", { n: i + 1 })} data-testid="tag-remove">
                  ×
                </button>
              </li>
            );
          })}
        </ul>
        {check.tooMany ? <p className="text-xs text-red-700">{t("tags.problem.count", { max: MAX_TAGS })}</p> : null}
        <FieldError error={update.error} />
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => setRows((rs) => [...rs, newRow()])}
          disabled={rows.length >= MAX_TAGS}
          title={rows.length >= MAX_TAGS ? t("tags.problem.count", { max: MAX_TAGS }) : undefined}
          data-testid="tag-add"
        >
          {t("tags.add")}
        </button>
        <SaveRow
          action={OPERATIONS.updateKey}
          label={t("tags.save")}
          ready={check.ok && changed}
          pending={update.isPending}
          saved={update.isSuccess && !changed}
          dirty={changed}
          onReset={() => {
            setRows(rowsFromTags(tags));
            update.reset();
          }}
          testId="tags-save"
        />
      </form>
    </Panel>
  );
}
