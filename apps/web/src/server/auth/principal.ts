import type { JWTPayload } from "jose";

/** Who made a request, as established from a verified bearer token. */
export interface Principal {
  /** The id role assignments name: Entra's `oid`, else the token's `sub`. */
  id: string;
  kind: "user" | "app";
  issuer: string;
  subject: string;
  tenantId?: string;
  /** The OAuth client the token was issued to (`azp`, or Entra v1's `appid`). */
  clientId?: string;
  /** A display name for audit and the UI — never used for decisions. */
  name?: string;
  /** Group object ids (Entra's `groups` claim); an assignment to a group counts for its members. */
  groups: readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/**
 * Builds the principal from verified claims, or undefined if the token names nobody. An app-only token
 * is recognised by `idtyp: "app"` (this issuer, Entra with the optional claim) or, failing that, by
 * Entra's convention that app tokens carry no `scp`.
 */
export function principalFromClaims(claims: JWTPayload): Principal | undefined {
  const subject = str(claims.sub);
  const id = str(claims.oid) ?? subject;
  const issuer = str(claims.iss);
  if (id === undefined || subject === undefined || issuer === undefined) return undefined;
  const idtyp = str(claims.idtyp);
  const kind = idtyp === "app" || (idtyp === undefined && claims.scp === undefined && str(claims.oid) !== undefined && claims.oid === claims.sub) ? "app" : "user";
  const tenantId = str(claims.tid);
  const clientId = str(claims.azp) ?? str(claims.appid);
  const name = str(claims.preferred_username) ?? str(claims.name) ?? str(claims.upn);
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === "string") : [];
  return {
    id,
    kind,
    issuer,
    subject,
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(name === undefined ? {} : { name }),
    groups,
  };
}
