"use client";

import type { BridgeStatus } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";
import { useSpecText } from "../ceremony/words";

/** What the token is and can do: the HSM preflight a custodian reads before choosing this bridge. */
export function Preflight({ status }: { status: BridgeStatus }) {
  const t = useT(ceremony);
  const spec = useSpecText();
  const p = status.preflight;
  if (!p) return <p className="text-xs text-slate-500">{t("bridges.noPreflight")}</p>;
  const can = [
    ...p.generate.rsa.map((size) => spec({ kty: "RSA", size })),
    ...p.generate.ec.map((crv) => spec({ kty: "EC", crv })),
    ...p.generate.aes.map((size) => spec({ kty: "oct", size })),
  ];
  return (
    <dl data-testid="bridge-preflight" className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-xs">
      <dt className="text-slate-500">{t("bridges.token")}</dt>
      <dd>{t("bridges.tokenValue", { label: p.token.label, manufacturer: p.token.manufacturer, model: p.token.model, serial: p.token.serial })}</dd>
      <dt className="text-slate-500">{t("bridges.byokPath")}</dt>
      <dd data-testid="bridge-byok-path" className={p.byokPath ? "" : "font-medium text-red-700"}>
        {t(p.byokPath ? `bridges.path.${p.byokPath}` : "bridges.path.none")}
        {p.byokNote ? <span className="block text-slate-500">{p.byokNote}</span> : null}
      </dd>
      <dt className="text-slate-500">{t("bridges.generates")}</dt>
      <dd>{can.length ? can.join(", ") : t("bridges.generatesNothing")}</dd>
    </dl>
  );
}
