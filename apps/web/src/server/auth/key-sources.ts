import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { KeySourceUnavailable } from "./bearer";

/** The embedded issuer's keys, in process: no network, no cache to go stale. */
export function localKeys(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/** jose errors that mean "this token is bad", as opposed to "the keys could not be fetched". */
function isTokenFault(err: unknown): boolean {
  return (
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JOSEAlgNotAllowed
  );
}

/**
 * A provider's JWKS over the network (jose caches it and refetches on an unknown `kid`, at most every
 * 30 s). Fetch failures become KeySourceUnavailable, so an outage is a 503 and not a misleading 401.
 */
export function remoteKeys(jwksUri: string): JWTVerifyGetKey {
  const set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000 });
  return async (header, token) => {
    try {
      return await set(header, token);
    } catch (err) {
      if (isTokenFault(err)) throw err;
      throw new KeySourceUnavailable(err);
    }
  };
}

const DiscoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url() });

/**
 * Keys found through the issuer's discovery document, fetched on first use (not at startup, so the
 * portal starts while the provider is down) and retried after a failure. The document must name the
 * same issuer — otherwise it describes another provider.
 */
export function discoveredKeys(issuer: string, fetchFn: typeof fetch = fetch): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    let doc: z.infer<typeof DiscoverySchema>;
    try {
      const res = await fetchFn(url, { signal: AbortSignal.timeout(5000), headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      doc = DiscoverySchema.parse(await res.json());
    } catch (err) {
      throw new KeySourceUnavailable(err);
    }
    if (doc.issuer !== issuer) throw new KeySourceUnavailable(new Error(`discovery names issuer ${doc.issuer}, expected ${issuer}`));
    return remoteKeys(doc.jwks_uri);
  };
  return async (header, token) => {
    keys ??= discover().catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return (await keys)(header, token);
  };
}
