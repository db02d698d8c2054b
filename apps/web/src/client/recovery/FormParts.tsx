"use client";

import type { DataAction } from "@keyward/shared";
import type { FormEvent, ReactNode } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";
import { ActionButton, buttonClass } from "../inventory/Permission";
import { Panel } from "../inventory/Panel";

/** A start form's foot: the server's refusal in words, what was started, and the submit — guarded by the permission it needs. */
export function FormFoot({ action, mutation, label, testId, done }: { action: DataAction; mutation: { error: unknown; isPending: boolean }; label: string; testId: string; done: string | undefined }) {
  const tk = useT(keys);
  return (
    <div className="space-y-2">
      {mutation.error ? <ErrorNotice error={mutation.error} /> : null}
      {done ? (
        <p role="status" className="text-xs text-emerald-700">
          {done}
        </p>
      ) : null}
      <ActionButton action={action} type="submit" className={buttonClass.primary} disabled={mutation.isPending} data-testid={testId}>
        {mutation.isPending ? tk("working") : label}
      </ActionButton>
    </div>
  );
}

/** A start form in its panel: title, what it starts in words, and the form (checked here, not by the browser). */
export function FormPanel({ title, intro, testId, onSubmit, children }: { title: string; intro: string; testId: string; onSubmit: (e: FormEvent) => void; children: ReactNode }) {
  return (
    <Panel title={title} testId={`start-${testId}`}>
      <p className="mt-1 max-w-3xl text-xs text-slate-600">{intro}</p>
      <form noValidate data-testid={`${testId}-form`} className="mt-3 space-y-3" onSubmit={onSubmit}>
        {children}
      </form>
    </Panel>
  );
}
