// The identity side of the portal: what the router and the start script use.
export { createDevIssuer, DEFAULT_RESOURCE_ID, ISSUER_PATH, type DevIssuer, type DevIssuerOptions, type Handler } from "./issuer";
export { createAuthenticator, KeySourceUnavailable, MESSAGES, type AuthOutcome, type Authenticator, type BearerPolicy } from "./bearer";
export { authenticatorFromConfig, type AuthenticatorDeps } from "./from-config";
export { challengeResponse, CHALLENGE_RESOURCE, type Challenge } from "./challenge";
export { type Principal } from "./principal";
export { clientSecretCredential, type AccessTokenCredential } from "./client-credential";
export { addClient, addLocalUser, setLocalUserPassword, readIdentities, type NewClient, type NewUser, type LocalUser, type OAuthClient } from "./identities";
export {
  ensureEmbeddedIdentities,
  formatInitialCredentials,
  ADMIN_USERNAME,
  CLI_CLIENT_ID,
  PORTAL_CLIENT_ID,
  INITIAL_CREDENTIALS_FILE,
  type EmbeddedIdentities,
} from "./seed";
