/**
 * What the ceremony wizard at `/ceremonies/new` brings a key into, kept in the URL (`?kind=kms-import`)
 * so that a reload or the way back lands on the same form. No `kind`, or one this portal does not know,
 * is the default: a Key Vault / Managed HSM ceremony with `.byok` files.
 */
export const WIZARD_KINDS = ["byok", "kms-import"] as const;
export type WizardKind = (typeof WIZARD_KINDS)[number];

export const DEFAULT_WIZARD_KIND: WizardKind = "byok";

/** The query parameter that names the kind. */
export const WIZARD_KIND_PARAM = "kind";

export function isWizardKind(value: unknown): value is WizardKind {
  return typeof value === "string" && (WIZARD_KINDS as readonly string[]).includes(value);
}

/** The kind a URL's `kind` parameter names: anything else (missing, misspelt, another case) is the default. */
export function parseWizardKind(value: string | null | undefined): WizardKind {
  return isWizardKind(value) ? value : DEFAULT_WIZARD_KIND;
}

/** The query string (with its `?`, or empty) for `kind`: other parameters stay, the default kind is left out. */
export function wizardKindSearch(current: string | URLSearchParams, kind: WizardKind): string {
  const params = new URLSearchParams(current);
  if (kind === DEFAULT_WIZARD_KIND) params.delete(WIZARD_KIND_PARAM);
  else params.set(WIZARD_KIND_PARAM, kind);
  const search = params.toString();
  return search ? `?${search}` : "";
}
