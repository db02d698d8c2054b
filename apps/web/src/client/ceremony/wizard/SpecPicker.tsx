"use client";

import type { AesSize, EcCurve, KeySpec, RsaSize } from "@keyward/shared";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Field, inputClass } from "../Field";
import type { Offer, WizardState } from "../wizard-model";

const KTYS: readonly KeySpec["kty"][] = ["RSA", "EC", "oct"];

/** Type and size/curve, offering only what the token can generate; a family it cannot make at all is disabled. */
export function SpecPicker(props: { state: WizardState; set: (patch: Partial<WizardState>) => void; offer: Offer; problem: string | undefined }) {
  const t = useT(ceremony);
  const { state: s, set, offer: o } = props;
  const available = { RSA: o.rsa.length > 0, EC: o.ec.length > 0, oct: o.aes.length > 0 };
  return (
    <div className="space-y-1">
      <div className="grid gap-3 md:grid-cols-2">
        <Field name="kty" label={t("wizard.type")} problem={undefined}>
          {(a) => (
            <select
              {...a}
              name="kty"
              value={s.kty}
              onChange={(e) => {
                const kty = e.target.value as KeySpec["kty"];
                // Move to a size/curve the token offers, so the choice is never silently unsupported.
                set({ kty, rsaSize: o.rsa.includes(s.rsaSize) ? s.rsaSize : (o.rsa[0] ?? s.rsaSize), crv: o.ec.includes(s.crv) ? s.crv : (o.ec[0] ?? s.crv), aesSize: o.aes.includes(s.aesSize) ? s.aesSize : (o.aes[0] ?? s.aesSize) });
              }}
              className={inputClass(a)}
            >
              {KTYS.map((k) => (
                <option key={k} value={k} disabled={!available[k]}>
                  {t(`wizard.type.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {s.kty === "EC" ? (
          <Field name="crv" label={t("wizard.curve")} problem={props.problem}>
            {(a) => (
              <select {...a} name="crv" value={s.crv} onChange={(e) => set({ crv: e.target.value as EcCurve })} className={inputClass(a)}>
                {o.ec.map((crv) => (
                  <option key={crv} value={crv}>
                    {crv}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field name="size" label={t("wizard.size")} problem={props.problem}>
            {(a) => (
              <select
                {...a}
                name="size"
                value={s.kty === "RSA" ? s.rsaSize : s.aesSize}
                onChange={(e) => set(s.kty === "RSA" ? { rsaSize: Number(e.target.value) as RsaSize } : { aesSize: Number(e.target.value) as AesSize })}
                className={inputClass(a)}
              >
                {(s.kty === "RSA" ? o.rsa : o.aes).map((size) => (
                  <option key={size} value={size}>
                    {s.kty === "RSA" ? t("spec.RSA", { size }) : t("spec.oct", { size })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <p className="text-xs text-slate-500">{o.fromPreflight ? t("wizard.offer.preflight") : t("wizard.offer.unknown")}</p>
    </div>
  );
}
