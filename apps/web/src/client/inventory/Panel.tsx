"use client";

import type { DataAction } from "@keyward/shared";
import { useId, type ReactNode } from "react";
import { useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";
import { ActionButton, buttonClass } from "./Permission";

/** One titled box of the key detail page; `aside` sits at the title's right (a count, an Edit button). */
export function Panel({ title, aside, children, testId }: { title: ReactNode; aside?: ReactNode; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <section className="rounded border border-slate-200 bg-white p-3" aria-labelledby={`${id}-title`} data-testid={testId}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-semibold">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** A form's submit (guarded by the permission it needs) and reset, and "Saved." once the server has the change. */
export function SaveRow({
  action,
  label,
  ready,
  pending,
  saved,
  dirty,
  onReset,
  testId,
}: {
  action: DataAction;
  label: string;
  /** The form is valid and changed. */
  ready: boolean;
  pending: boolean;
  /** The last save succeeded and nothing was changed since. */
  saved: boolean;
  dirty: boolean;
  onReset: () => void;
  testId: string;
}) {
  const t = useT(keys);
  return (
    <>
      {saved ? (
        <p role="status" className="text-xs text-emerald-700">
          {t("saved")}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <ActionButton action={action} type="submit" className={buttonClass.primary} disabled={!ready || pending} data-testid={testId}>
          {pending ? t("working") : label}
        </ActionButton>
        <button type="button" className={buttonClass.secondary} disabled={!dirty} onClick={onReset}>
          {t("reset")}
        </button>
      </div>
    </>
  );
}
