"use client";

import { useEffect, useState, type FormEvent } from "react";
import { BridgeIdSchema, BridgeUrlSchema } from "@keyward/shared";
import { ApiError } from "../api/errors";
import { ErrorNotice } from "../components/ErrorNotice";
import { useT } from "../i18n/I18nProvider";
import { ceremony } from "../i18n/messages/ceremony";
import { fieldOfError, type FieldRule } from "../ceremony/server-field";
import { Field, inputClass } from "../ceremony/Field";
import { parseIdentity, type ParsedIdentity } from "./identity-input";
import { useRegisterBridge } from "./queries";
import { Thumbprint } from "./Thumbprint";

type FormField = "url" | "bridgeId" | "identity" | "description";

const SERVER_FIELDS: readonly FieldRule<FormField>[] = [
  ["url", /^url:|\bURL\b/],
  ["identity", /^publicJwk|JWK|Ed25519|thumbprint|identity|private key/i],
  ["bridgeId", /^bridgeId:|bridge ?id|already registered/i],
  ["description", /^description:/],
];

/** Register a bridge: URL, id and identity key, with the thumbprint computed here for comparison before saving. */
export function RegisterBridgeForm({ onDone }: { onDone: (bridgeId: string) => void }) {
  const t = useT(ceremony);
  const register = useRegisterBridge();
  const [url, setUrl] = useState("");
  const [bridgeId, setBridgeId] = useState("");
  const [identityText, setIdentityText] = useState("");
  const [description, setDescription] = useState("");
  const [identity, setIdentity] = useState<ParsedIdentity>();
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    let live = true;
    if (!identityText.trim()) setIdentity(undefined);
    else void parseIdentity(identityText).then((r) => live && setIdentity(r));
    return () => {
      live = false;
    };
  }, [identityText]);

  // The id travels with pasted `identity` output: fill it when the admin has not typed one.
  const pastedId = identity?.ok ? identity.bridgeId : undefined;
  useEffect(() => {
    if (pastedId && !bridgeId) setBridgeId(pastedId);
  }, [pastedId, bridgeId]);

  const problems: Partial<Record<FormField, string>> = {};
  if (!BridgeUrlSchema.safeParse(url).success) problems.url = t("bridges.problem.url");
  if (!BridgeIdSchema.safeParse(bridgeId).success) problems.bridgeId = t("bridges.problem.bridgeId");
  if (!identityText.trim()) problems.identity = t("bridges.problem.identityEmpty");
  else if (identity && !identity.ok) problems.identity = t(`bridges.problem.${identity.problem}`);
  else if (identity?.ok && identity.printedThumbprint && identity.printedThumbprint !== identity.thumbprint) problems.identity = t("bridges.problem.printedMismatch", { printed: identity.printedThumbprint });
  else if (pastedId && bridgeId && pastedId !== bridgeId) problems.bridgeId = t("bridges.problem.idMismatch", { pasted: pastedId, typed: bridgeId });
  const show = (f: FormField) => (touched[f] || submitted ? problems[f] : undefined);

  const serverField = register.error instanceof ApiError && register.error.code === "Conflict" ? "bridgeId" : fieldOfError(register.error, SERVER_FIELDS);
  const serverError = (f: FormField) => (serverField === f ? register.error : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length || !identity?.ok) return;
    register.mutate(
      { url: url.trim(), bridgeId, publicJwk: identity.jwk, ...(description.trim() ? { description: description.trim() } : {}) },
      { onSuccess: (b) => onDone(b.bridgeId) },
    );
  };

  // Problems show as soon as a field is edited (as you type), never on blur: a message appearing on blur
  // moves the button under a pointer that is about to click it.
  const edit = (f: FormField, setter: (v: string) => void) => (value: string) => {
    setter(value);
    setTouched((s) => ({ ...s, [f]: true }));
  };

  return (
    <form onSubmit={submit} noValidate data-testid="register-bridge-form" className="space-y-3 rounded border border-slate-200 bg-white p-4">
      <h2 className="text-sm font-semibold">{t("bridges.register")}</h2>
      <div className="grid gap-3 md:grid-cols-2">
        <Field name="url" label={t("bridges.field.url")} hint={t("bridges.field.urlHint")} problem={show("url")} serverError={serverError("url")}>
          {(a) => <input {...a} name="url" value={url} onChange={(e) => edit("url", setUrl)(e.target.value)} placeholder="ws://127.0.0.1:7710/bridge" className={inputClass(a)} />}
        </Field>
        <Field name="bridgeId" label={t("bridges.field.bridgeId")} hint={t("bridges.field.bridgeIdHint")} problem={show("bridgeId")} serverError={serverError("bridgeId")}>
          {(a) => <input {...a} name="bridgeId" value={bridgeId} onChange={(e) => edit("bridgeId", setBridgeId)(e.target.value)} className={inputClass(a)} />}
        </Field>
      </div>
      <Field name="identity" label={t("bridges.field.identity")} hint={t("bridges.field.identityHint")} problem={show("identity")} serverError={serverError("identity")}>
        {(a) => (
          <textarea
            {...a}
            name="identity"
            rows={5}
            spellCheck={false}
            value={identityText}
            onChange={(e) => edit("identity", setIdentityText)(e.target.value)}
            placeholder='{ "bridgeId": "…", "thumbprint": "…", "publicJwk": { "kty": "OKP", "crv": "Ed25519", "x": "…" } }'
            className={`${inputClass(a)} font-mono text-xs`}
          />
        )}
      </Field>
      <label className="inline-flex cursor-pointer items-center gap-2 text-xs text-slate-700">
        <span className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">{t("bridges.field.upload")}</span>
        <input
          type="file"
          accept=".json,.jwk,application/json,text/plain"
          data-testid="identity-file"
          className="sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then((text) => {
              setIdentityText(text);
              setTouched((s) => ({ ...s, identity: true }));
            });
          }}
        />
      </label>
      <div className="rounded border border-slate-200 bg-slate-50 p-3" aria-live="polite">
        <div className="text-xs font-medium text-slate-700">{t("bridges.thumbprint")}</div>
        {identity?.ok ? (
          <>
            <div className="mt-1">
              <Thumbprint value={identity.thumbprint} testid="computed-thumbprint" />
            </div>
            <p className="mt-1 text-xs text-amber-900">{t("bridges.thumbprintCompare")}</p>
          </>
        ) : (
          <p className="mt-1 text-xs text-slate-500">{t("bridges.thumbprintWaiting")}</p>
        )}
      </div>
      <Field name="description" label={t("bridges.field.description")} hint={t("bridges.field.descriptionHint")} problem={undefined} serverError={serverError("description")}>
        {(a) => <input {...a} name="description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} className={inputClass(a)} />}
      </Field>
      {register.error && !serverField ? <ErrorNotice error={register.error} /> : null}
      <button type="submit" disabled={register.isPending} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">
        {register.isPending ? t("bridges.saving") : t("bridges.save")}
      </button>
    </form>
  );
}
