import {
  KEY_TYPES,
  MAX_UNIX_SECONDS,
  checkValidityWindow,
  familyOf,
  isKeyOp,
  keyOpsProblems,
  tagProblems,
  type KeyOp,
  type KeyType,
  type Tags,
} from "@keyward/shared";
import { KEY_ORIGINS, type KeyVersionRecord, type NewVersion, type ReleasePolicy, type RotationPolicy, type VersionPatch } from "./key-records";
import { badParameter } from "./store-errors";

/**
 * The store re-checks what the API has already validated: it is the last line before data that
 * every other caller (portal UI, scripts, restore) trusts, and the checks cost microseconds.
 */
export interface VersionContent {
  kty: KeyType;
  keyOps: readonly KeyOp[];
  nbf: number | null;
  exp: number | null;
  exportable: boolean;
  tags: Tags;
  releasePolicy: ReleasePolicy | null;
}

export function checkNewVersion(input: Omit<NewVersion, "origin"> & { origin?: string }): void {
  if (!(KEY_TYPES as readonly string[]).includes(input.kty)) {
    throw badParameter("InvalidKeyType", `key type ${JSON.stringify(input.kty)} is not supported; use ${KEY_TYPES.join(", ")}`);
  }
  if (input.origin !== undefined && !(KEY_ORIGINS as readonly string[]).includes(input.origin)) {
    throw badParameter("InvalidOrigin", `origin ${JSON.stringify(input.origin)} is not one of ${KEY_ORIGINS.join(", ")}`);
  }
  if (!(input.material instanceof Uint8Array) || input.material.length === 0) {
    throw badParameter("MissingMaterial", "a key version needs its private or secret material");
  }
  if (typeof input.hsmPlatform !== "string" || input.hsmPlatform === "") {
    throw badParameter("InvalidHsmPlatform", "hsmPlatform must be a non-empty string");
  }
  checkPublicJwk(input.kty, input.publicJwk);
  checkVersionContent({
    kty: input.kty,
    keyOps: input.keyOps,
    nbf: input.nbf ?? null,
    exp: input.exp ?? null,
    exportable: input.exportable ?? false,
    tags: input.tags ?? {},
    releasePolicy: input.releasePolicy ?? null,
  });
}

export function checkVersionContent(content: VersionContent): void {
  const unknownOp = content.keyOps.find((op) => !isKeyOp(op));
  if (unknownOp !== undefined) throw badParameter("KEY_OPS_UNKNOWN", `key operation ${JSON.stringify(unknownOp)} is not known`);
  const [opsProblem] = keyOpsProblems(content.keyOps, familyOf(content.kty));
  if (opsProblem) throw badParameter(opsProblem.code, opsProblem.message);
  const [tagProblem] = tagProblems(content.tags);
  if (tagProblem) throw badParameter(tagProblem.code, tagProblem.message);
  checkUnixTime("nbf", content.nbf);
  checkUnixTime("exp", content.exp);
  const window = checkValidityWindow({ nbf: content.nbf ?? undefined, exp: content.exp ?? undefined });
  if (!window.ok) throw badParameter(window.code, window.message);
  if (content.releasePolicy !== null) checkReleasePolicy(content.releasePolicy);
  if (content.exportable && content.releasePolicy === null) {
    throw badParameter("ReleasePolicyRequired", "an exportable key needs a release policy");
  }
}

/** The parts of an update that depend on what is already stored. */
export function checkPatchAgainst(current: KeyVersionRecord, patch: VersionPatch): void {
  if (patch.exportable !== undefined && patch.exportable !== current.attributes.exportable) {
    throw badParameter("ExportableImmutable", "the exportable state of a key cannot be changed");
  }
  const policy = current.releasePolicy;
  if (policy?.immutable && patch.releasePolicy !== undefined && !samePolicy(policy, patch.releasePolicy)) {
    throw badParameter("ReleasePolicyImmutable", "the release policy of this key version is immutable and cannot be changed");
  }
}

function samePolicy(a: ReleasePolicy, b: ReleasePolicy | null): boolean {
  return b !== null && a.contentType === b.contentType && a.data === b.data && a.immutable === b.immutable;
}

function checkReleasePolicy(policy: ReleasePolicy): void {
  const ok =
    typeof policy === "object" &&
    typeof policy.contentType === "string" &&
    policy.contentType.length > 0 &&
    typeof policy.data === "string" &&
    /^[A-Za-z0-9_-]+$/.test(policy.data) &&
    typeof policy.immutable === "boolean";
  if (!ok) throw badParameter("InvalidReleasePolicy", "a release policy needs contentType, base64url data and immutable");
}

export function checkUnixTime(name: string, value: number | null): void {
  if (value === null) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_UNIX_SECONDS) {
    throw badParameter("InvalidAttribute", `${name} must be a unix time in whole seconds from 1970 to 9999; got ${String(value)}`);
  }
}

const JWK_FIELDS: Record<"RSA" | "EC" | "oct", readonly string[]> = { RSA: ["n", "e"], EC: ["crv", "x", "y"], oct: [] };

function checkPublicJwk(kty: KeyType, jwk: Record<string, unknown>): void {
  const family = familyOf(kty);
  const required = JWK_FIELDS[family];
  const given = Object.keys(jwk);
  const ok =
    required.every((field) => typeof jwk[field] === "string" && jwk[field] !== "") && given.every((field) => required.includes(field));
  if (!ok) {
    const expected = required.length ? required.join(", ") : "no fields";
    throw badParameter("InvalidPublicKey", `the public key of a ${family} key has ${expected}; got ${given.join(", ") || "no fields"}`);
  }
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** Shape only: the duration minimums (28 days) are the API's to explain in its own words. */
export function checkRotationPolicy(policy: RotationPolicy): void {
  const durationOk = (value: string | undefined) => value === undefined || DURATION.test(value);
  const actionsOk =
    Array.isArray(policy.lifetimeActions) &&
    policy.lifetimeActions.every(
      (a) =>
        (a.action.type === "Rotate" || a.action.type === "Notify") &&
        durationOk(a.trigger.timeAfterCreate) &&
        durationOk(a.trigger.timeBeforeExpiry),
    );
  const expiryOk = policy.expiryTime === null || DURATION.test(policy.expiryTime);
  if (!actionsOk || !expiryOk) {
    throw badParameter("InvalidRotationPolicy", "a rotation policy needs Rotate/Notify actions with ISO-8601 duration triggers");
  }
}
