"use client";

import type { DataAction } from "@keyward/shared";
import type { ButtonHTMLAttributes } from "react";
import { useMe } from "../auth/useMe";
import { useT } from "../i18n/I18nProvider";
import { keys } from "../i18n/messages/keys";

/**
 * Whether the signed-in principal's roles at `/` include `action` — a hint so the UI does not offer
 * what would be refused; the server decides. Unknown while the roles load (nothing is disabled yet).
 */
export function usePermission(action: DataAction): { allowed: boolean; known: boolean } {
  const me = useMe();
  if (!me.data) return { allowed: false, known: false };
  return { allowed: me.data.dataActions.includes(action), known: true };
}

/** A button for an action the roles may not allow: disabled, with a tooltip naming the missing permission. */
export function ActionButton({ action, disabled, title, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { action: DataAction }) {
  const t = useT(keys);
  const { allowed, known } = usePermission(action);
  const missing = known && !allowed;
  // The tooltip sits on a wrapper: a disabled button receives no pointer events in every browser.
  return (
    <span title={missing ? t("perm.missing", { action: action.replace(/^Microsoft\.KeyVault\/managedHsm\//, "") }) : title} className="inline-block">
      <button type="button" {...rest} disabled={disabled || !known || missing} data-permission={missing ? "missing" : undefined} />
    </span>
  );
}

export const buttonClass = {
  primary:
    "rounded bg-slate-900 px-3 py-1 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-1",
  secondary:
    "rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500",
  danger:
    "rounded border border-red-300 bg-white px-3 py-1 text-sm text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500",
};

export const inputClass = (invalid = false) =>
  `rounded border bg-white px-2 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${invalid ? "border-red-400" : "border-slate-300"}`;
