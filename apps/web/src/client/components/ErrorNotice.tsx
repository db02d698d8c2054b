"use client";

import { ApiError } from "../api/errors";
import { common } from "../i18n/messages/common";
import { useT } from "../i18n/I18nProvider";

/** The words for an error: the server's own message for a refusal, never a stack or a bare status. */
export function useErrorText() {
  const t = useT(common);
  return (err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.status === 403) return t("error.forbidden", { message: err.message });
      if (err.status === 401) return t("error.unauthorized");
      if (err.code === "NetworkError") return t("error.network");
      return t("error.generic", { message: err.message });
    }
    return t("error.generic", { message: err instanceof Error ? err.message : String(err) });
  };
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT(common);
  const text = useErrorText();
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      <p>{text(error)}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry} className="mt-2 rounded border border-red-300 px-2 py-0.5 hover:bg-red-100">
          {t("retry")}
        </button>
      ) : null}
    </div>
  );
}

/** A server error shown next to the field it concerns. */
export function FieldError({ error, id }: { error: unknown; id?: string }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-xs text-red-700">
      {text(error)}
    </p>
  );
}
