import { decoyHash, verifySecret } from "../password-hash";
import { findClient, type Identities, type OAuthClient } from "../identities";
import type { IssuerContext } from "./context";
import { OAuthError } from "./http";

/** Where an authorization response may be sent for this client: an exact registered URI, or the portal's origin. */
export function redirectAllowed(ctx: IssuerContext, client: OAuthClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (!client.portalRedirects) return false;
  try {
    const url = new URL(redirectUri);
    // No fragment: the response is appended to it (RFC 6749 §3.1.2).
    return url.origin === ctx.origin && url.hash === "";
  } catch {
    return false;
  }
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  const decoded = match?.[1] === undefined ? "" : Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "The client credentials are malformed.", 401);
  // RFC 6749 §2.3.1: both halves are form-urlencoded before Basic encoding.
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError("invalid_client", "The client credentials are malformed.", 401);
  }
}

/**
 * Authenticates the client at the token endpoint (client_secret_basic, client_secret_post, or none for a
 * public client). Every failure is the same invalid_client, so the answer does not tell whether the
 * client exists; with Basic it is a 401, as RFC 6749 §5.2 requires.
 */
export async function authenticateClient(req: Request, form: URLSearchParams, identities: Identities): Promise<OAuthClient> {
  const basic = basicCredentials(req);
  const bodySecret = form.get("client_secret");
  if (basic && bodySecret !== null) throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
  const status = basic ? 401 : 400;
  const clientId = basic?.id ?? form.get("client_id");
  const secret = basic?.secret ?? bodySecret;
  const refuse = () => new OAuthError("invalid_client", "Client authentication failed.", status);

  if (clientId === null) throw new OAuthError("invalid_request", "client_id is required.");
  if (basic && form.get("client_id") !== null && form.get("client_id") !== basic.id) throw refuse();
  const client = findClient(identities, clientId);
  if (client?.type === "public") {
    if (secret !== null) throw refuse();
    return client;
  }
  if (secret === null || secret.length === 0) throw refuse();
  const ok = await verifySecret(secret, client?.secretHash ?? (await decoyHash()));
  if (!client || !ok) throw refuse();
  return client;
}
