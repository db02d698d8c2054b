"use client";

import { useEffect, useState } from "react";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { shortThumbprint } from "./draft";

/** A thumbprint shortened to its ends, the whole in the tooltip, and a button that copies the whole. */
export function CopyThumbprint({ value, testId }: { value: string; testId?: string }) {
  const t = useT(quorum);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <span className="inline-flex items-center gap-1" data-testid={testId}>
      <code className="font-mono text-xs text-slate-800" title={value}>
        {shortThumbprint(value)}
      </code>
      <button
        type="button"
        aria-label={t("copyThumbprint")}
        title={t("copyThumbprint")}
        onClick={() => void navigator.clipboard.writeText(value).then(() => setCopied(true))}
        className="rounded border border-slate-300 px-1 text-[10px] text-slate-600 hover:bg-slate-100"
      >
        {copied ? t("copied") : t("copy")}
      </button>
    </span>
  );
}
