"use client";

import Link from "next/link";
import type { BridgeWithStatus, CeremonyMode } from "@keyward/shared";
import { BridgeStatusBadge } from "../../bridges/BridgeStatusBadge";
import { Preflight } from "../../bridges/Preflight";
import { Thumbprint } from "../../bridges/Thumbprint";
import { ErrorNotice, FieldError } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { bridgeProblem, type Problem } from "../wizard-model";
import { useProblemText } from "./Problems";
import { Choice, Section } from "./Section";

/** Pick a bridge, each shown with its live status and preflight; one that cannot serve this mode says why. */
export function BridgeSection(props: {
  bridges: BridgeWithStatus[] | undefined;
  loading: boolean;
  error: unknown;
  retry: () => void;
  value: string;
  mode: CeremonyMode;
  onChange: (bridgeId: string) => void;
  problems: Problem[] | undefined;
  serverError: unknown;
}) {
  const t = useT(ceremony);
  const words = useProblemText();
  const list = props.bridges ?? [];
  return (
    <Section title={t("wizard.step.bridge")} testid="wizard-bridge">
      {props.loading ? <p className="text-sm text-slate-600">{t("wizard.bridge.loading")}</p> : null}
      {props.error ? <ErrorNotice error={props.error} onRetry={props.retry} /> : null}
      {!props.loading && !props.error && list.length === 0 ? (
        <p className="text-sm text-slate-600">
          {t("wizard.bridge.none")}{" "}
          <Link href="/bridges" className="underline">
            {t("bridges.title")}
          </Link>
        </p>
      ) : null}
      <div role="radiogroup" aria-label={t("wizard.bridge.label")} className="space-y-2">
        {list.map((b) => {
          const why = bridgeProblem(b, props.mode);
          return (
            <Choice
              key={b.bridgeId}
              name="bridge"
              value={b.bridgeId}
              checked={props.value === b.bridgeId}
              onChange={() => props.onChange(b.bridgeId)}
              testid={`choose-bridge-${b.bridgeId}`}
              label={
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-mono font-medium">{b.bridgeId}</span>
                  <BridgeStatusBadge state={b.status.state} />
                  <span className="break-all font-mono text-xs text-slate-500">{b.url}</span>
                </span>
              }
            >
              <p className="text-xs text-slate-500">
                {t("bridges.thumbprint")}: <Thumbprint value={b.thumbprint} />
              </p>
              {b.status.message && b.status.state !== "online" ? <p className="text-xs text-slate-700">{b.status.message}</p> : null}
              <Preflight status={b.status} />
              {why ? <p className="text-xs font-medium text-amber-900">{words([why])}</p> : null}
            </Choice>
          );
        })}
      </div>
      {props.value || list.length === 0 ? null : <p className="text-xs text-slate-600">{t("wizard.bridge.choose")}</p>}
      {props.value && props.problems ? (
        <p data-testid="problem-bridge" className="text-xs text-red-700">
          {words(props.problems)}
        </p>
      ) : null}
      <div data-testid="server-error-bridge">
        <FieldError error={props.serverError} />
      </div>
    </Section>
  );
}
