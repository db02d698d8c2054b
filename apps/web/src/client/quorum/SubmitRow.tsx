"use client";

import { OPERATIONS } from "@keyward/shared";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { ActionButton, buttonClass } from "../inventory/Permission";

/**
 * The foot of every quorum form: the server's refusal in words, "recorded" once it was, and the submit
 * button — disabled with the missing permission named for whoever may not write the records.
 */
export function SubmitRow({
  save,
  label,
  testId,
  savedText,
  disabled = false,
  onCancel,
}: {
  save: { error: unknown; isPending: boolean };
  label: string;
  testId: string;
  /** Shown after a successful save, until the form is edited again. */
  savedText?: string | undefined;
  disabled?: boolean;
  onCancel?: () => void;
}) {
  const tc = useT(common);
  return (
    <>
      {save.error ? <ErrorNotice error={save.error} /> : null}
      {savedText ? (
        <p role="status" className="text-xs text-emerald-700">
          {savedText}
        </p>
      ) : null}
      <div className="flex gap-2">
        <ActionButton action={OPERATIONS.downloadSecurityDomain} type="submit" className={buttonClass.primary} disabled={disabled || save.isPending} data-testid={testId}>
          {save.isPending ? tc("saving") : label}
        </ActionButton>
        {onCancel ? (
          <button type="button" className={buttonClass.secondary} onClick={onCancel}>
            {tc("cancel")}
          </button>
        ) : null}
      </div>
    </>
  );
}
