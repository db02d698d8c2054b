"use client";

import { useEffect, useRef, useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { common } from "../i18n/messages/common";
import { ceremony } from "../i18n/messages/ceremony";
import { useRemoveBridge } from "./queries";

/** Remove, after an explicit confirmation that names the bridge; Cancel takes the focus first. */
export function RemoveBridge({ bridgeId }: { bridgeId: string }) {
  const t = useT(ceremony);
  const tc = useT(common);
  const remove = useRemoveBridge();
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);

  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} className="rounded border border-slate-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50">
        {t("bridges.remove")}
      </button>
    );
  return (
    <div role="alertdialog" aria-label={t("bridges.removeYes", { id: bridgeId })} className="rounded border border-red-300 bg-red-50 p-2 text-xs text-red-900">
      <p>{t("bridges.removeConfirm", { id: bridgeId })}</p>
      <div className="mt-2 flex gap-2">
        <button
          type="button"
          data-testid="confirm-remove-bridge"
          disabled={remove.isPending}
          onClick={() => remove.mutate(bridgeId)}
          className="rounded bg-red-700 px-2 py-1 font-medium text-white hover:bg-red-800 disabled:opacity-50"
        >
          {remove.isPending ? t("bridges.removing") : t("bridges.removeYes", { id: bridgeId })}
        </button>
        <button ref={cancel} type="button" onClick={() => setAsking(false)} className="rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-100">
          {tc("cancel")}
        </button>
      </div>
      {remove.error ? (
        <div className="mt-2">
          <ErrorNotice error={remove.error} />
        </div>
      ) : null}
    </div>
  );
}
