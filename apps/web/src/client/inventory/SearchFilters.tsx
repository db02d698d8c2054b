"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { KEY_ORIGINS, KEY_SEARCH_PARAMETERS, KEY_TYPES, MAX_SEARCH_TEXT, parseTagFilter, type KeySearchQuery } from "@keyward/shared";
import { ApiError } from "../api/errors";
import { FieldError } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";
import { buttonClass, inputClass } from "./Permission";

const EXPIRY_CHOICES = [7, 30, 90, 365] as const;
const PAGE_SIZES = [25, 50, 100, 200] as const;
const TYPING_DELAY_MS = 300;

/** The search parameter a server refusal names (its words start with it), to show them next to that filter. */
export function parameterOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  return KEY_SEARCH_PARAMETERS.find((p) => err.message.startsWith(`${p} `));
}

/** Text typed into a filter box reaches the URL once typing pauses, and only when it could be valid. */
function useTypedFilter(value: string, apply: (text: string) => void, valid: (text: string) => boolean) {
  const [draft, setDraft] = useState(value);
  const [synced, setSynced] = useState(value);
  // The URL changed under us (back, reset): show what it says.
  if (value !== synced) {
    setSynced(value);
    setDraft(value);
  }
  // The latest `apply` without restarting the pause on every render.
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  });
  useEffect(() => {
    if (draft === value || !valid(draft)) return;
    const timer = setTimeout(() => applyRef.current(draft), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, value, valid]);
  return [draft, setDraft] as const;
}

/** A labelled filter with the server's refusal under it when the refusal names this filter. */
function Filter({ id, label, error, grow, children }: { id: string; label: string; error: unknown; grow?: boolean; children: ReactNode }) {
  return (
    <div className={grow ? "min-w-56 flex-1" : undefined}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      <FieldError error={error} />
    </div>
  );
}

function Choice(props: { id: string; label: string; error: unknown; testId: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void }) {
  const { id, label, error, testId, value, options, onChange } = props;
  return (
    <Filter id={id} label={label} error={error}>
      <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} className={`${inputClass(Boolean(error))} mt-0.5`}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Filter>
  );
}

const validQ = (text: string) => text.length <= MAX_SEARCH_TEXT && /^[0-9A-Za-z-]*$/.test(text);
const validTag = (text: string) => text === "" || parseTagFilter(text).ok;
const tagText = (q: KeySearchQuery) => (q.tag ? (q.tag.value === undefined ? q.tag.name : `${q.tag.name}=${q.tag.value}`) : "");

export function SearchFilters({
  query,
  update,
  reset,
  error,
}: {
  query: KeySearchQuery;
  update: (patch: Partial<KeySearchQuery>, how?: "push" | "replace") => void;
  reset: () => void;
  /** The search's refusal, shown next to the filter it names. */
  error: unknown;
}) {
  const t = useT(keys);
  const id = useId();
  const failed = parameterOf(error);
  const serverError = (p: string) => (failed === p ? error : undefined);
  const [q, setQ] = useTypedFilter(query.q ?? "", (text) => update({ q: text || undefined }, "replace"), validQ);
  const [tag, setTag] = useTypedFilter(
    tagText(query),
    (text) => {
      const parsed = parseTagFilter(text);
      update({ tag: text && parsed.ok ? parsed.tag : undefined }, "replace");
    },
    validTag,
  );
  // A window from a shared link that is not one of the choices is offered too, so the select can show it.
  const expiryChoices = [...new Set([...EXPIRY_CHOICES, ...(query.expiringWithinDays === undefined ? [] : [query.expiringWithinDays])])].sort((x, y) => x - y);
  const any = { value: "", label: t("filter.any") };
  const typedProblem = (ok: boolean, message: string) => (ok ? null : <p className="mt-1 text-xs text-red-700">{message}</p>);

  return (
    <form role="search" aria-label={t("filter.label")} className="flex flex-wrap items-start gap-3" onSubmit={(e) => e.preventDefault()}>
      <Filter id={`${id}-q`} label={t("filter.q")} error={serverError("q")} grow>
        <input
          id={`${id}-q`}
          data-testid="key-search"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("filter.q.placeholder")}
          aria-invalid={!validQ(q) || failed === "q"}
          className={`${inputClass(!validQ(q) || failed === "q")} mt-0.5 w-full`}
          autoComplete="off"
        />
        {typedProblem(validQ(q), t("filter.q.invalid"))}
      </Filter>
      <Choice
        id={`${id}-type`}
        label={t("filter.type")}
        error={serverError("type")}
        testId="filter-type"
        value={query.type ?? ""}
        options={[any, ...KEY_TYPES.map((k) => ({ value: k, label: k.endsWith("-HSM") ? k : t("filter.type.family", { family: k }) }))]}
        onChange={(v) => update({ type: KEY_TYPES.find((k) => k === v) })}
      />
      <Choice
        id={`${id}-enabled`}
        label={t("filter.enabled")}
        error={serverError("enabled")}
        testId="filter-enabled"
        value={query.enabled === undefined ? "" : String(query.enabled)}
        options={[any, { value: "true", label: t("state.enabled") }, { value: "false", label: t("state.disabled") }]}
        onChange={(v) => update({ enabled: v === "" ? undefined : v === "true" })}
      />
      <Choice
        id={`${id}-exp`}
        label={t("filter.expiring")}
        error={serverError("expiringWithinDays")}
        testId="filter-expiring"
        value={String(query.expiringWithinDays ?? "")}
        options={[any, ...expiryChoices.map((d) => ({ value: String(d), label: t("filter.expiring.days", { days: d }) }))]}
        onChange={(v) => update({ expiringWithinDays: v === "" ? undefined : Number(v) })}
      />
      <Filter id={`${id}-tag`} label={t("filter.tag")} error={serverError("tag")}>
        <input
          id={`${id}-tag`}
          data-testid="filter-tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          placeholder={t("filter.tag.placeholder")}
          aria-invalid={!validTag(tag) || failed === "tag"}
          className={`${inputClass(!validTag(tag) || failed === "tag")} mt-0.5 w-44`}
          autoComplete="off"
        />
        {typedProblem(validTag(tag), t("filter.tag.invalid"))}
      </Filter>
      <Choice
        id={`${id}-origin`}
        label={t("filter.origin")}
        error={serverError("origin")}
        testId="filter-origin"
        value={query.origin ?? ""}
        options={[any, ...KEY_ORIGINS.map((o) => ({ value: o, label: t(`origin.${o}`) }))]}
        onChange={(v) => update({ origin: KEY_ORIGINS.find((o) => o === v) })}
      />
      <Choice
        id={`${id}-size`}
        label={t("filter.pageSize")}
        error={serverError("pageSize")}
        testId="filter-page-size"
        value={String(query.pageSize)}
        options={[...new Set([...PAGE_SIZES, query.pageSize])].sort((a, b) => a - b).map((n) => ({ value: String(n), label: String(n) }))}
        onChange={(v) => update({ pageSize: Number(v) })}
      />
      <div className="self-end">
        <button type="button" onClick={reset} className={buttonClass.secondary} data-testid="filter-reset">
          {t("filter.reset")}
        </button>
      </div>
    </form>
  );
}
