"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { FieldError } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { keys } from "../i18n/messages/keys";
import { buttonClass, inputClass } from "./Permission";

/**
 * A modal confirmation for an action on one key: the user types the key's name to confirm, so a
 * destructive click cannot land on the wrong row. Escape or Cancel closes it; the server's refusal
 * is shown inside, next to the name.
 */
export function ConfirmByName({
  open,
  name,
  title,
  children,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  name: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  testId: string;
}) {
  const t = useT(keys);
  const tc = useT(common);
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped("");
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);
  const matches = typed === name;
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onClose();
      }}
      className="m-auto w-full max-w-md rounded border border-slate-300 p-0 shadow-lg backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="space-y-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (matches && !pending) onConfirm();
        }}
      >
        <h2 id={`${id}-title`} className="text-base font-semibold">
          {title}
        </h2>
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
        <div>
          <label htmlFor={`${id}-name`} className="block text-xs font-medium text-slate-700">
            {t("confirm.typeName", { name })}
          </label>
          <input
            id={`${id}-name`}
            data-testid="confirm-name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass(Boolean(error))} mt-0.5 w-full font-mono`}
          />
          <FieldError error={error} />
        </div>
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={onClose} disabled={pending}>
            {tc("cancel")}
          </button>
          <button type="submit" className={buttonClass.danger} disabled={!matches || pending} data-testid="confirm-submit">
            {pending ? t("working") : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
