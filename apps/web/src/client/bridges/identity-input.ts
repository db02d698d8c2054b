import { calculateJwkThumbprint } from "jose";
import { z } from "zod";

/** The bridge's public identity key: what `keyward-bridge identity` prints under `publicJwk`. */
const Ed25519PublicJwk = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).loose();

/** The whole output of `keyward-bridge identity`; pasting it fills the bridge id as well. */
const IdentityOutput = z.object({ bridgeId: z.string(), thumbprint: z.string().optional(), publicJwk: z.unknown() });

export type IdentityProblem = "notJson" | "notEd25519" | "privateKey";

export type ParsedIdentity =
  | { ok: true; jwk: { kty: "OKP"; crv: "Ed25519"; x: string }; thumbprint: string; bridgeId?: string; printedThumbprint?: string }
  | { ok: false; problem: IdentityProblem };

/**
 * Read what an admin pasted or uploaded: a bare public JWK or the `identity` command's JSON. The
 * thumbprint (RFC 7638, SHA-256) is computed here, in the browser, so the admin can compare it with
 * the one `init` printed before anything is saved; the thumbprint inside pasted `identity` output is
 * kept so the form can say when it does not belong to the key beside it. A private JWK (`d`) is refused outright — it
 * must never travel to the portal.
 */
export async function parseIdentity(text: string): Promise<ParsedIdentity> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "notJson" };
  }
  const wrapper = IdentityOutput.safeParse(value);
  const candidate = wrapper.success ? wrapper.data.publicJwk : value;
  if (candidate && typeof candidate === "object" && "d" in candidate) return { ok: false, problem: "privateKey" };
  const jwk = Ed25519PublicJwk.safeParse(candidate);
  if (!jwk.success) return { ok: false, problem: "notEd25519" };
  const publicOnly = { kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.data.x };
  const thumbprint = await calculateJwkThumbprint(publicOnly, "sha256");
  const printed = wrapper.success ? wrapper.data.thumbprint : undefined;
  return { ok: true, jwk: publicOnly, thumbprint, ...(wrapper.success ? { bridgeId: wrapper.data.bridgeId } : {}), ...(printed ? { printedThumbprint: printed } : {}) };
}
