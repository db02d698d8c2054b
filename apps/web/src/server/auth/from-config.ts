import { DEFAULT_OIDC_ALGORITHMS, type AuthConfig } from "@keyward/shared";
import { createAuthenticator, type Authenticator } from "./bearer";
import { CHALLENGE_RESOURCE } from "./challenge";
import type { DevIssuer } from "./issuer";
import { ISSUER_ALG } from "./signing-key";
import { discoveredKeys, localKeys, remoteKeys } from "./key-sources";
import { ACCESS_TOKEN_TYP } from "./issuer/tokens";

export interface AuthenticatorDeps {
  /** Required for `{ kind: "embedded" }`: its keys are used in-process. */
  devIssuer?: DevIssuer;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The bearer authenticator for a configured provider:
 * - embedded: the portal's dev issuer, verified against its local JWKS, `typ: at+jwt` required;
 * - oidc: any provider, keys from `jwksUri` or its discovery document;
 * - entra: Entra ID v1 and v2 tokens of one tenant, keys from the tenant's JWKS.
 */
export function authenticatorFromConfig(config: AuthConfig, deps: AuthenticatorDeps = {}): Authenticator {
  const clock = deps.now === undefined ? {} : { now: deps.now };
  switch (config.kind) {
    case "embedded": {
      const dev = deps.devIssuer;
      if (!dev) throw new Error("the embedded auth config needs the development issuer");
      return createAuthenticator({
        issuers: [dev.issuer],
        audiences: dev.audiences,
        algorithms: [ISSUER_ALG],
        typ: ACCESS_TOKEN_TYP,
        keys: localKeys(dev.jwks()),
        challenge: { authorization: dev.issuer, resource: CHALLENGE_RESOURCE },
        ...clock,
      });
    }
    case "oidc":
      return createAuthenticator({
        issuers: [config.issuer],
        audiences: config.audience,
        algorithms: config.algorithms ?? DEFAULT_OIDC_ALGORITHMS,
        keys: config.jwksUri === undefined ? discoveredKeys(config.issuer, deps.fetch) : remoteKeys(config.jwksUri),
        challenge: { authorization: config.issuer, resource: CHALLENGE_RESOURCE },
        ...clock,
      });
    case "entra": {
      const host = config.authorityHost.replace(/\/+$/, "");
      const v2 = `${host}/${config.tenantId}/v2.0`;
      // v1 tokens (what Azure resources such as managedhsm.azure.net get by default) name sts.windows.net —
      // in the public cloud; a sovereign cloud's v1 issuer differs, so only v2 is accepted there.
      const issuers = host === "https://login.microsoftonline.com" ? [v2, `https://sts.windows.net/${config.tenantId}/`] : [v2];
      return createAuthenticator({
        issuers,
        audiences: config.audience,
        algorithms: ["RS256"],
        keys: remoteKeys(`${host}/${config.tenantId}/discovery/v2.0/keys`),
        challenge: { authorization: `${host}/${config.tenantId}`, resource: CHALLENGE_RESOURCE },
        ...clock,
      });
    }
  }
}
