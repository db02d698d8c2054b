import { SIGN_IN_REDIRECT_PATH, type AuthConfig, type SignInConfig } from "@keyward/shared";
import { CHALLENGE_RESOURCE, ISSUER_PATH, PORTAL_CLIENT_ID } from "../auth";


const defaultScopes = (audience: readonly string[]) => [`${audience[0] ?? CHALLENGE_RESOURCE}/.default`];

/**
 * The browser's sign-in settings for the configured provider. One access token serves the portal API
 * and the Key Vault API of the local target (both accept the same audiences), so the UI asks for one
 * resource, as Entra requires; `offline_access` lets MSAL renew it silently.
 */
export function signInConfig(auth: AuthConfig, origin: string): SignInConfig {
  const common = { redirectPath: SIGN_IN_REDIRECT_PATH };
  switch (auth.kind) {
    case "embedded":
      return {
        ...common,
        enabled: true,
        provider: "embedded",
        authority: `${origin}${ISSUER_PATH}`,
        clientId: PORTAL_CLIENT_ID,
        protocolMode: "OIDC",
        knownAuthorities: [new URL(origin).host],
        scopes: ["openid", "profile", "offline_access", `${CHALLENGE_RESOURCE}/.default`],
      };
    case "oidc":
      return {
        ...common,
        enabled: auth.portal !== undefined,
        provider: "oidc",
        authority: auth.issuer,
        clientId: auth.portal?.clientId ?? "",
        protocolMode: "OIDC",
        knownAuthorities: [new URL(auth.issuer).host],
        scopes: ["openid", "profile", "offline_access", ...(auth.portal?.scopes ?? defaultScopes(auth.audience))],
      };
    case "entra":
      return {
        ...common,
        enabled: auth.portal !== undefined,
        provider: "entra",
        authority: `${auth.authorityHost.replace(/\/+$/, "")}/${auth.tenantId}`,
        clientId: auth.portal?.clientId ?? "",
        protocolMode: "AAD",
        knownAuthorities: [],
        scopes: auth.portal?.scopes ?? defaultScopes(auth.audience),
      };
  }
}
