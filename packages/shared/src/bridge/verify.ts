import { decodeProtectedHeader, errors, importJWK, jwtVerify, type JWK, type JWTPayload } from "jose";
import type { z } from "zod";
import { BRIDGE_COMMAND_TYPES, BridgeCommandSchema, CommandClaimsSchema, type BridgeCommand, type CommandClaims } from "./commands.js";
import { BridgeError, type BridgeErrorCode } from "./errors.js";
import { CLOCK_SKEW_SECONDS, COMMAND_TYP, MAX_COMMAND_LIFETIME_SECONDS, RESULT_TYP, SIGNING_ALG } from "./protocol.js";
import { ResultClaimsSchema, type ResultClaims } from "./results.js";
import { commandHash } from "./sign.js";

/** A public key one side pins for the other, selected by the JWS `kid`. */
export interface TrustedKey {
  kid: string;
  jwk: JWK;
}

/** Imported once per pinned key: importing a JWK costs more than verifying a signature. */
const imported = new WeakMap<TrustedKey, Promise<Awaited<ReturnType<typeof importJWK>>>>();
function keyFor(pinned: TrustedKey) {
  let key = imported.get(pinned);
  if (!key) {
    key = importJWK(pinned.jwk, SIGNING_ALG);
    imported.set(pinned, key);
  }
  return key;
}

function joseToCode(err: unknown): BridgeErrorCode {
  if (err instanceof errors.JWTExpired) return "EXPIRED";
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case "aud":
        return "WRONG_AUDIENCE";
      case "iss":
        return "WRONG_ISSUER";
      case "nbf":
        return "NOT_YET_VALID";
      case "iat":
        // jose reports an iat in the future as a failed iat check.
        return err.reason === "check_failed" ? "NOT_YET_VALID" : "MALFORMED_COMMAND";
      default:
        return "MALFORMED_COMMAND";
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JOSEAlgNotAllowed) return "BAD_SIGNATURE";
  return "MALFORMED_COMMAND";
}

async function verifyWithPinnedKey(
  jws: string,
  trusted: readonly TrustedKey[],
  options: { typ: string; audience?: string; issuer: string; now: Date; required: string[] },
): Promise<JWTPayload> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jws).kid;
  } catch {
    throw new BridgeError("MALFORMED_COMMAND");
  }
  const pinned = trusted.find((k) => k.kid === kid);
  if (!pinned) throw new BridgeError("UNKNOWN_SIGNER");
  try {
    const key = await keyFor(pinned);
    const { payload } = await jwtVerify(jws, key, {
      algorithms: [SIGNING_ALG],
      typ: options.typ,
      issuer: options.issuer,
      ...(options.audience === undefined ? {} : { audience: options.audience }),
      requiredClaims: options.required,
      currentDate: options.now,
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    return payload;
  } catch (err) {
    throw new BridgeError(joseToCode(err));
  }
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/**
 * Parse the `cmd` claim. An unknown type gets its own code so a bridge on an older version says so
 * plainly; a bad key spec is UNSUPPORTED_KEY; anything else is INVALID_COMMAND with the reasons.
 */
export function parseCommand(cmd: unknown): BridgeCommand {
  const type = typeof cmd === "object" && cmd !== null ? (cmd as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || !(BRIDGE_COMMAND_TYPES as readonly string[]).includes(type)) {
    throw new BridgeError("UNKNOWN_COMMAND", `unknown command type ${JSON.stringify(type ?? null)}; this bridge knows ${BRIDGE_COMMAND_TYPES.join(", ")}`);
  }
  const parsed = BridgeCommandSchema.safeParse(cmd);
  if (parsed.success) return parsed.data;
  const keyIssue = parsed.error.issues.some((i) => i.path[0] === "key");
  throw new BridgeError(keyIssue ? "UNSUPPORTED_KEY" : "INVALID_COMMAND", formatIssues(parsed.error));
}

export interface VerifiedCommand {
  claims: CommandClaims;
  command: BridgeCommand;
  /** base64url SHA-256 of the compact JWS, echoed in the result. */
  sha256: string;
}

/**
 * Verify a signed command: allow-listed algorithm and `typ`, a pinned signer, this bridge as audience,
 * the pinned portal as issuer, a bounded lifetime — and only then parse what it asks for.
 * Replay is checked by the caller, which owns the memory of seen `jti`s.
 */
export async function verifyCommand(
  jws: string,
  opts: { trusted: readonly TrustedKey[]; audience: string; issuer: string; now?: Date },
): Promise<VerifiedCommand> {
  const now = opts.now ?? new Date();
  const payload = await verifyWithPinnedKey(jws, opts.trusted, {
    typ: COMMAND_TYP,
    audience: opts.audience,
    issuer: opts.issuer,
    now,
    required: ["iss", "aud", "iat", "exp", "jti"],
  });
  const claims = CommandClaimsSchema.safeParse(payload);
  if (!claims.success) throw new BridgeError("MALFORMED_COMMAND");
  const { iat, exp } = claims.data;
  if (exp - iat > MAX_COMMAND_LIFETIME_SECONDS) throw new BridgeError("LIFETIME_TOO_LONG");
  if (iat > Math.floor(now.getTime() / 1000) + CLOCK_SKEW_SECONDS) throw new BridgeError("NOT_YET_VALID");
  const command = parseCommand(claims.data.cmd);
  return { claims: claims.data, command, sha256: await commandHash(jws) };
}

/**
 * Verify a bridge's signed result and, when the command is given, that it answers exactly that command.
 */
export async function verifyResult(
  jws: string,
  opts: { trusted: readonly TrustedKey[]; bridgeId: string; command?: string; now?: Date },
): Promise<ResultClaims> {
  const payload = await verifyWithPinnedKey(jws, opts.trusted, {
    typ: RESULT_TYP,
    issuer: opts.bridgeId,
    now: opts.now ?? new Date(),
    required: ["iss", "iat", "jti"],
  });
  const claims = ResultClaimsSchema.safeParse(payload);
  if (!claims.success) throw new BridgeError("MALFORMED_COMMAND", "the result does not match the protocol");
  if (opts.command !== undefined && claims.data.cmd_sha256 !== (await commandHash(opts.command))) {
    throw new BridgeError("BAD_SIGNATURE", "the result answers another command");
  }
  return claims.data;
}
