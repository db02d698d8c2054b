import { TargetError } from "@keyward/shared";
import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { assertChallengeParsable, challengeResponse, type Challenge } from "./challenge";
import { principalFromClaims, type Principal } from "./principal";

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; challenge: Response };

export interface Authenticator {
  /**
   * Takes only the Authorization header — never the body — so the SDK's first, body-less request gets
   * its 401 challenge rather than a 400. Throws TargetError ServiceUnavailable when the provider's keys
   * cannot be fetched (that is an outage, not the caller's fault).
   */
  authenticate(authorization: string | null | undefined): Promise<AuthOutcome>;
}

export interface BearerPolicy {
  issuers: readonly string[];
  audiences: readonly string[];
  /** Asymmetric algorithms only; `none` and HMAC are never in this list. */
  algorithms: readonly string[];
  keys: JWTVerifyGetKey;
  challenge: Challenge;
  /** A required `typ` header (the embedded issuer's `at+jwt`); Entra's tokens say "JWT", so optional. */
  typ?: string;
  clockToleranceSeconds?: number;
  now?: () => number;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_LENGTH = 16 * 1024;

export const MESSAGES = {
  missing: "Request is missing a Bearer or PoP token.",
  expired: "The access token has expired.",
  invalid: "The access token is invalid.",
} as const;

/** Thrown by a key source when the keys cannot be had at all (network, provider down). */
export class KeySourceUnavailable extends Error {
  constructor(cause: unknown) {
    super("The identity provider's signing keys could not be fetched.", { cause });
    this.name = "KeySourceUnavailable";
  }
}

function bearerToken(header: string | null | undefined): string | undefined {
  const match = header == null ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

/** Verified tokens are remembered until they expire: a client sends the same token many times. */
const MAX_CACHED_TOKENS = 1024;

export function createAuthenticator(policy: BearerPolicy): Authenticator {
  assertChallengeParsable(policy.challenge);
  const verified = new Map<string, { principal: Principal; exp: number }>();
  const now = policy.now ?? Date.now;
  const refuse = (message: string, invalidToken: boolean): AuthOutcome => ({
    ok: false,
    challenge: challengeResponse(policy.challenge, message, invalidToken),
  });
  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      if (token === undefined) return refuse(MESSAGES.missing, false);
      if (token.length > MAX_TOKEN_LENGTH) return refuse(MESSAGES.invalid, true);
      const hit = verified.get(token);
      if (hit) {
        // exp without the clock tolerance: a remembered token never outlives what verification allows.
        if (hit.exp * 1000 > now()) return { ok: true, principal: hit.principal };
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, policy.keys, {
          algorithms: [...policy.algorithms],
          issuer: [...policy.issuers],
          audience: [...policy.audiences],
          ...(policy.typ === undefined ? {} : { typ: policy.typ }),
          requiredClaims: ["exp"],
          clockTolerance: policy.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        });
        const principal = principalFromClaims(payload);
        if (!principal) return refuse(MESSAGES.invalid, true);
        if (typeof payload.exp === "number") {
          if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value as string);
          verified.set(token, { principal, exp: payload.exp });
        }
        return { ok: true, principal };
      } catch (err) {
        if (err instanceof KeySourceUnavailable) throw new TargetError("ServiceUnavailable", err.message);
        // Fixed messages: which check failed is for the server's log, not for whoever holds the token.
        return refuse(err instanceof errors.JWTExpired ? MESSAGES.expired : MESSAGES.invalid, true);
      }
    },
  };
}
