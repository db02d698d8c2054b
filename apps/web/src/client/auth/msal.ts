import { PublicClientApplication, type Configuration } from "@azure/msal-browser";
import { SignInConfigSchema, type SignInConfig } from "@keyward/shared";

export async function loadSignInConfig(): Promise<SignInConfig> {
  const res = await fetch("/portal-api/config", { cache: "no-store" });
  if (!res.ok) throw new Error(`the portal's sign-in settings are unavailable (${res.status})`);
  return SignInConfigSchema.parse(await res.json());
}

/** One MSAL instance per page load, for the provider the portal is configured with. */
export async function createMsal(config: SignInConfig): Promise<PublicClientApplication> {
  const origin = window.location.origin;
  const msalConfig: Configuration = {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      redirectUri: `${origin}${config.redirectPath}`,
      postLogoutRedirectUri: `${origin}/`,
    },
    // Session storage: a closed tab forgets the session, and nothing outlives the browser session.
    cache: { cacheLocation: "sessionStorage" },
    system: { protocolMode: config.protocolMode },
  };
  const pca = new PublicClientApplication(msalConfig);
  await pca.initialize();
  return pca;
}
