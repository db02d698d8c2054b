"use client";

import { useId } from "react";
import type { RoleScope } from "@keyward/shared";
import { useT } from "../i18n/I18nProvider";
import { access } from "../i18n/messages/access";

export interface ScopeChoice {
  kind: "hsm" | "keys" | "key";
  keyName: string;
}

const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;

/** The scope a choice names, or undefined while the key name is not one the service would accept. */
export function scopeOf(choice: ScopeChoice): RoleScope | undefined {
  if (choice.kind === "hsm") return "/";
  if (choice.kind === "keys") return "/keys";
  return KEY_NAME.test(choice.keyName) ? `/keys/${choice.keyName}` : undefined;
}

/** `/`, `/keys` or `/keys/<name>` — the only scopes Managed HSM knows. `keyNames` are suggestions. */
export function ScopePicker({ value, onChange, keyNames, name, testId }: { value: ScopeChoice; onChange(v: ScopeChoice): void; keyNames: readonly string[]; name: string; testId: string }) {
  const t = useT(access);
  const id = useId();
  const invalid = value.kind === "key" && value.keyName !== "" && scopeOf(value) === undefined;
  return (
    <fieldset className="flex flex-wrap items-center gap-3 text-sm" data-testid={testId}>
      <legend className="sr-only">{t("scope.legend")}</legend>
      {(["hsm", "keys", "key"] as const).map((kind) => (
        <label key={kind} className="flex items-center gap-1">
          <input type="radio" name={name} value={kind} checked={value.kind === kind} onChange={() => onChange({ ...value, kind })} />
          {t(`scope.${kind}`)}
        </label>
      ))}
      {value.kind === "key" ? (
        <span className="flex flex-col">
          <label htmlFor={`${id}-key`} className="sr-only">
            {t("scope.keyName")}
          </label>
          <input
            id={`${id}-key`}
            list={`${id}-names`}
            value={value.keyName}
            placeholder={t("scope.keyName")}
            aria-invalid={invalid}
            aria-describedby={invalid ? `${id}-err` : undefined}
            onChange={(e) => onChange({ ...value, keyName: e.target.value.trim() })}
            className="w-56 rounded border border-slate-300 px-2 py-1 font-mono text-xs"
          />
          <datalist id={`${id}-names`}>
            {keyNames.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          {invalid ? (
            <span id={`${id}-err`} role="alert" className="mt-1 text-xs text-red-700">
              {t("scope.keyName.invalid")}
            </span>
          ) : null}
        </span>
      ) : null}
    </fieldset>
  );
}
