import { ApiError } from "../api/errors";

/** Which form field a rule claims: the first rule whose pattern matches a refusal's words wins. */
export type FieldRule<F extends string> = readonly [field: F, pattern: RegExp];

/**
 * The field a server refusal concerns, so its words can be shown next to that field. The portal API
 * answers `{error:{code,message,innererror?}}` without a field pointer: a finer inner code names the
 * field when there is one (`KekNotImportOnly`, `BridgeOffline`…); otherwise schema refusals start with
 * the zod path ("targets.2.name: …") and the server's own refusals name what they refuse ("the KEK …",
 * "HSM label …"). Unmatched refusals, authorization and server failures stay with the form as a whole.
 */
export function fieldOfError<F extends string>(err: unknown, rules: readonly FieldRule<F>[], byInner: Readonly<Record<string, F>> = {}): F | undefined {
  if (!(err instanceof ApiError) || err.status === 401 || err.status === 403) return undefined;
  const inner = err.inner !== undefined ? byInner[err.inner] : undefined;
  if (inner !== undefined) return inner;
  if (err.status >= 500) return undefined;
  for (const [field, pattern] of rules) if (pattern.test(err.message)) return field;
  return undefined;
}
