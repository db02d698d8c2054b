import { randomUUID } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { ISSUER_ALG, type SigningKey } from "../signing-key";

/** RFC 9068: access tokens are typed, so an ID token can never be replayed as one. */
export const ACCESS_TOKEN_TYP = "at+jwt";

export interface TokenSubject {
  oid: string;
  kind: "user" | "app";
  name: string;
  /** The signed-in user's login name; absent for apps. */
  username?: string;
}

interface Common {
  key: SigningKey;
  issuer: string;
  tenantId: string;
  nowSeconds: number;
  lifetimeSeconds: number;
}

function sign(payload: JWTPayload, typ: string, c: Common): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ISSUER_ALG, kid: c.key.kid, typ })
    .setIssuer(c.issuer)
    .setIssuedAt(c.nowSeconds)
    .setNotBefore(c.nowSeconds)
    .setExpirationTime(c.nowSeconds + c.lifetimeSeconds)
    .setJti(randomUUID())
    .sign(c.key.privateKey);
}

/**
 * An access token in Entra's vocabulary (oid, tid, azp/appid, idtyp, scp) so the same principal
 * extraction serves Entra and this issuer.
 */
export function mintAccessToken(c: Common & { subject: TokenSubject; audience: string; clientId: string }): Promise<string> {
  const { subject } = c;
  return sign(
    {
      sub: subject.oid,
      oid: subject.oid,
      tid: c.tenantId,
      aud: c.audience,
      azp: c.clientId,
      appid: c.clientId,
      idtyp: subject.kind,
      name: subject.name,
      ...(subject.username === undefined ? {} : { preferred_username: subject.username }),
      ...(subject.kind === "user" ? { scp: "user_impersonation" } : {}),
    },
    ACCESS_TOKEN_TYP,
    c,
  );
}

/** An OIDC ID token for the client (aud = client_id), echoing the authorize request's nonce. */
export function mintIdToken(
  c: Common & { subject: TokenSubject; clientId: string; nonce: string | undefined; authTime: number },
): Promise<string> {
  const { subject } = c;
  return sign(
    {
      sub: subject.oid,
      oid: subject.oid,
      tid: c.tenantId,
      aud: c.clientId,
      auth_time: c.authTime,
      name: subject.name,
      ...(subject.username === undefined ? {} : { preferred_username: subject.username }),
      ...(c.nonce === undefined ? {} : { nonce: c.nonce }),
    },
    "JWT",
    c,
  );
}
