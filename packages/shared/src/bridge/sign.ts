import { SignJWT, base64url, type CryptoKey, type JWK, type KeyObject } from "jose";
import type { BridgeCommand } from "./commands.js";
import { COMMAND_TYP, MAX_COMMAND_LIFETIME_SECONDS, RESULT_TYP, SIGNING_ALG } from "./protocol.js";
import type { ResultBody } from "./results.js";

export type SigningKey = CryptoKey | KeyObject | JWK;

export interface CommandSigner {
  key: SigningKey;
  kid: string;
  /** The portal's issuer name, pinned by the bridge. */
  issuer: string;
}

/** base64url(SHA-256(compact JWS)): how a result names the command it answers. */
export async function commandHash(jws: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(jws));
  return base64url.encode(new Uint8Array(digest));
}

export async function signCommand(
  command: BridgeCommand,
  signer: CommandSigner,
  opts: { audience: string; now?: Date; lifetimeSeconds?: number; jti?: string },
): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const lifetime = opts.lifetimeSeconds ?? MAX_COMMAND_LIFETIME_SECONDS;
  return new SignJWT({ cmd: command })
    .setProtectedHeader({ alg: SIGNING_ALG, typ: COMMAND_TYP, kid: signer.kid })
    .setIssuer(signer.issuer)
    .setAudience(opts.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(opts.jti ?? crypto.randomUUID())
    .sign(signer.key);
}

export interface ResultSigner {
  key: SigningKey;
  kid: string;
  /** The bridge id. */
  issuer: string;
}

export async function signResult(
  body: ResultBody,
  signer: ResultSigner,
  ref: { cmdJti: string | null; cmdSha256: string; audience?: string; now?: Date },
): Promise<string> {
  const jwt = new SignJWT({ ...body, cmd_jti: ref.cmdJti, cmd_sha256: ref.cmdSha256 })
    .setProtectedHeader({ alg: SIGNING_ALG, typ: RESULT_TYP, kid: signer.kid })
    .setIssuer(signer.issuer)
    .setIssuedAt(Math.floor((ref.now ?? new Date()).getTime() / 1000))
    .setJti(crypto.randomUUID());
  if (ref.audience) jwt.setAudience(ref.audience);
  return jwt.sign(signer.key);
}
