"use client";

import { useState } from "react";
import type { KeyBundleOut } from "@keyward/shared";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { Panel } from "../Panel";
import { buttonClass } from "../Permission";
import { download, publicJwk, publicKeyPem } from "./public-key";

/** The public key as PEM (SPKI, converted here from the JWK) or JWK; symmetric keys have none. */
export function PublicKeyPanel({ name, bundle }: { name: string; bundle: KeyBundleOut }) {
  const t = useT(keys);
  const [error, setError] = useState<unknown>();
  const jwk = publicJwk(bundle.key);
  const version = bundle.key.kid.split("/").pop() ?? "";
  const base = `${name}-${version.slice(0, 8)}`;

  return (
    <Panel title={t("pub.title")}>
      {jwk ? (
        <>
          <p className="mt-1 text-xs text-slate-600">{t("pub.hint")}</p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              className={buttonClass.secondary}
              data-testid="download-pem"
              onClick={() => {
                setError(undefined);
                publicKeyPem(jwk)
                  .then((pem) => download(`${base}.pem`, pem, "application/x-pem-file"))
                  .catch((err: unknown) => setError(err));
              }}
            >
              {t("pub.pem")}
            </button>
            <button type="button" className={buttonClass.secondary} data-testid="download-jwk" onClick={() => download(`${base}.jwk.json`, `${JSON.stringify(jwk, null, 2)}\n`, "application/json")}>
              {t("pub.jwk")}
            </button>
          </div>
          {error ? <ErrorNotice error={error} /> : null}
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-500">{t("pub.none")}</p>
      )}
    </Panel>
  );
}
