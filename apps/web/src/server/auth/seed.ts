import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { authDir, replaceSecretFile } from "./files";
import { createIdentities, emptyIdentities, findClient, findUser, readIdentities, type Identities } from "./identities";
import { generateSecret, hashSecret } from "./password-hash";

export const ADMIN_USERNAME = "admin";
export const CLI_CLIENT_ID = "keyward-cli";
/** The portal UI's public client (MSAL, authorization code + PKCE). */
export const PORTAL_CLIENT_ID = "keyward-portal";
export const INITIAL_CREDENTIALS_FILE = "initial-credentials.json";

export interface EmbeddedIdentities {
  /** True only on the run that created them — the one time the secrets are known. */
  created: boolean;
  tenantId: string;
  /** Principal ids to seed role assignments for; undefined if someone removed the account since. */
  adminOid: string | undefined;
  cliOid: string | undefined;
  /** Present only when `created`: the generated secrets, also written to `credentialsFile`. */
  initial?: { adminPassword: string; cliClientSecret: string; credentialsFile: string };
}

/**
 * The embedded default's identities, created on first start: the `admin` user, the `keyward-cli`
 * script principal (client_credentials) and the `keyward-portal` browser client. The generated password
 * and secret go to `<dataDir>/auth/initial-credentials.json` (0600) and back to the caller to print once;
 * afterwards only their hashes exist.
 */
export async function ensureEmbeddedIdentities(dataDir: string): Promise<EmbeddedIdentities> {
  const existing = await readIdentities(dataDir);
  if (existing) return describe(existing, false);

  const adminPassword = generateSecret();
  const cliClientSecret = generateSecret();
  const identities: Identities = emptyIdentities();
  identities.users.push({
    username: ADMIN_USERNAME,
    oid: randomUUID(),
    displayName: "Administrator",
    passwordHash: await hashSecret(adminPassword),
    disabled: false,
  });
  identities.clients.push(
    {
      clientId: CLI_CLIENT_ID,
      oid: randomUUID(),
      displayName: "Keyward CLI",
      type: "confidential",
      secretHash: await hashSecret(cliClientSecret),
      grantTypes: ["client_credentials"],
      redirectUris: [],
      portalRedirects: false,
    },
    {
      clientId: PORTAL_CLIENT_ID,
      oid: randomUUID(),
      displayName: "Keyward portal",
      type: "public",
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: [],
      portalRedirects: true,
    },
  );
  if (!(await createIdentities(dataDir, identities))) return ensureEmbeddedIdentities(dataDir);

  const credentialsFile = join(await authDir(dataDir), INITIAL_CREDENTIALS_FILE);
  const credentials = {
    note: "Generated on first start. Only hashes are kept elsewhere: store these, then delete this file.",
    admin: { username: ADMIN_USERNAME, password: adminPassword },
    cli: { clientId: CLI_CLIENT_ID, clientSecret: cliClientSecret },
  };
  await replaceSecretFile(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`);
  return { ...describe(identities, true), initial: { adminPassword, cliClientSecret, credentialsFile } };
}

function describe(identities: Identities, created: boolean): EmbeddedIdentities {
  return {
    created,
    tenantId: identities.tenantId,
    adminOid: findUser(identities, ADMIN_USERNAME)?.oid,
    cliOid: findClient(identities, CLI_CLIENT_ID)?.oid,
  };
}

/** The once-only announcement of generated credentials, for the start script to print. */
export function formatInitialCredentials(seed: EmbeddedIdentities): string | undefined {
  if (!seed.initial) return undefined;
  return [
    "Keyward embedded identity provider: first start, credentials generated (shown once):",
    `  user      ${ADMIN_USERNAME}  password ${seed.initial.adminPassword}`,
    `  client    ${CLI_CLIENT_ID}  client_secret ${seed.initial.cliClientSecret}`,
    `  also in   ${seed.initial.credentialsFile} (mode 0600) — store them, then delete the file`,
  ].join("\n");
}
