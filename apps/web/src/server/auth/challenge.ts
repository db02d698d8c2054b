import { TargetError } from "@keyward/shared";

/** The resource Key Vault clients are told to get a token for (facts §2.3, MHSM). */
export const CHALLENGE_RESOURCE = "https://managedhsm.azure.net";

export interface Challenge {
  /**
   * The authority URL. The JS SDK parses it with `new URL()` (an invalid one throws) and takes its path
   * as the tenant id; so it must be absolute and contain no spaces, quotes or commas.
   */
  authorization: string;
  resource: string;
}

/** Checks a challenge will survive the SDK's parser (split on `,? +`, then on "=") — at startup, not per request. */
export function assertChallengeParsable(c: Challenge): void {
  for (const [k, v] of Object.entries(c)) {
    if (/[\s",=]/.test(v)) throw new Error(`challenge ${k} ${JSON.stringify(v)} has a character the Key Vault SDK cannot parse`);
    new URL(v);
  }
}

/**
 * The Key Vault 401: `WWW-Authenticate: Bearer authorization="…", resource="…"` plus Azure's error body.
 * `error="invalid_token"` (RFC 6750 §3) is added when a token was presented but refused; with no token
 * there is no error attribute, as the RFC asks.
 */
export function challengeResponse(c: Challenge, message: string, invalidToken: boolean): Response {
  const params = [`authorization="${c.authorization}"`, `resource="${c.resource}"`];
  if (invalidToken) params.push(`error="invalid_token"`);
  return new Response(JSON.stringify(new TargetError("Unauthorized", message).toBody()), {
    status: 401,
    headers: { "Content-Type": "application/json; charset=utf-8", "WWW-Authenticate": `Bearer ${params.join(", ")}`, "Cache-Control": "no-store" },
  });
}
