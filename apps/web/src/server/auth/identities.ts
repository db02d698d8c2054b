import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { authDir, createSecretFile, readIfExists, replaceSecretFile } from "./files";
import { generateSecret, hashSecret } from "./password-hash";

/**
 * The development issuer's local users and OAuth clients: a small JSON file in the data directory
 * (`<dataDir>/auth/identities.json`, 0600), not the SQL database — it must exist before the database
 * does, and a CLI must be able to edit it with the portal stopped. Secrets appear only as scrypt hashes.
 */
export const IDENTITIES_FILE = "identities.json";

export const UsernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, { error: "username is 1–128 letters, digits, '.', '_', '@' or '-'" })
  .transform((s) => s.toLowerCase());
export const ClientIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
  error: "client_id is 1–128 letters, digits, '.', '_' or '-'",
});

const LocalUserSchema = z
  .object({
    username: UsernameSchema,
    /** The principal id role assignments name (a GUID, as Entra object ids are). */
    oid: z.uuid(),
    displayName: z.string().min(1).max(256),
    passwordHash: z.string().startsWith("scrypt$"),
    disabled: z.boolean().default(false),
  })
  .strict();
export type LocalUser = z.infer<typeof LocalUserSchema>;

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

const ClientSchema = z
  .object({
    clientId: ClientIdSchema,
    oid: z.uuid(),
    displayName: z.string().min(1).max(256),
    /** confidential: authenticates with a secret; public: a browser app, PKCE only. */
    type: z.enum(["confidential", "public"]),
    secretHash: z.string().startsWith("scrypt$").optional(),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1),
    /** Exact redirect URIs. */
    redirectUris: z.array(z.url()).default([]),
    /**
     * Also accept any redirect URI on the portal's own origin. The portal hosts both the issuer and the
     * app, and its port is chosen at start — an exact list would break whenever it moves.
     */
    portalRedirects: z.boolean().default(false),
  })
  .strict()
  .refine((c) => (c.type === "confidential") === (c.secretHash !== undefined), { error: "confidential clients, and only they, have a secret" })
  .refine((c) => !(c.type === "public" && c.grantTypes.includes("client_credentials")), { error: "a public client cannot use client_credentials" });
export type OAuthClient = z.infer<typeof ClientSchema>;

const IdentitiesSchema = z
  .object({
    version: z.literal(1),
    /** Stamped into tokens as `tid`; stable for this installation. */
    tenantId: z.uuid(),
    users: z.array(LocalUserSchema),
    clients: z.array(ClientSchema),
  })
  .strict();
export type Identities = z.infer<typeof IdentitiesSchema>;

export function emptyIdentities(): Identities {
  return { version: 1, tenantId: randomUUID(), users: [], clients: [] };
}

async function identitiesPath(dataDir: string): Promise<string> {
  return join(await authDir(dataDir), IDENTITIES_FILE);
}

/** Read on every use (it is small), so a user added by the CLI works without a restart. */
export async function readIdentities(dataDir: string): Promise<Identities | undefined> {
  const text = await readIfExists(await identitiesPath(dataDir));
  if (text === undefined) return undefined;
  const parsed = IdentitiesSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${IDENTITIES_FILE} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Creates the file if absent; false if another process got there first. */
export async function createIdentities(dataDir: string, identities: Identities): Promise<boolean> {
  return createSecretFile(await identitiesPath(dataDir), JSON.stringify(IdentitiesSchema.parse(identities), null, 2));
}

// Writers in this process queue behind each other; a second process (a CLI while the portal runs) is not
// locked out, but the portal never writes after seeding, so only two concurrent CLIs could race.
let writing: Promise<unknown> = Promise.resolve();

async function update<T>(dataDir: string, change: (current: Identities) => Promise<T>): Promise<T> {
  const run = writing.then(async () => {
    const current = (await readIdentities(dataDir)) ?? emptyIdentities();
    const result = await change(current);
    await replaceSecretFile(await identitiesPath(dataDir), JSON.stringify(IdentitiesSchema.parse(current), null, 2));
    return result;
  });
  writing = run.catch(() => undefined);
  return run;
}

export function findUser(identities: Identities, username: string): LocalUser | undefined {
  const name = username.toLowerCase();
  return identities.users.find((u) => u.username === name);
}

export function findUserByOid(identities: Identities, oid: string): LocalUser | undefined {
  return identities.users.find((u) => u.oid === oid);
}

export function findClient(identities: Identities, clientId: string): OAuthClient | undefined {
  return identities.clients.find((c) => c.clientId === clientId);
}

export interface NewUser {
  username: string;
  /** Generated (and returned) when absent. */
  password?: string;
  displayName?: string;
}

/** Adds a local user (CLI-friendly). Returns the stored record and the password, which is not kept. */
export async function addLocalUser(dataDir: string, input: NewUser): Promise<{ user: LocalUser; password: string }> {
  const username = UsernameSchema.parse(input.username);
  const password = input.password ?? generateSecret();
  if (password.length < 12) throw new Error("a password is at least 12 characters");
  const passwordHash = await hashSecret(password);
  return update(dataDir, async (ids) => {
    if (findUser(ids, username)) throw new Error(`user ${username} already exists`);
    const user = LocalUserSchema.parse({ username, oid: randomUUID(), displayName: input.displayName ?? username, passwordHash });
    ids.users.push(user);
    return { user, password };
  });
}

/** Replaces a user's password (CLI-friendly); returns the new one. */
export async function setLocalUserPassword(dataDir: string, username: string, password: string = generateSecret()): Promise<string> {
  if (password.length < 12) throw new Error("a password is at least 12 characters");
  const passwordHash = await hashSecret(password);
  return update(dataDir, async (ids) => {
    const user = findUser(ids, username);
    if (!user) throw new Error(`no user ${username}`);
    user.passwordHash = passwordHash;
    return password;
  });
}

export interface NewClient {
  clientId: string;
  type: OAuthClient["type"];
  displayName?: string;
  grantTypes?: GrantType[];
  redirectUris?: string[];
  portalRedirects?: boolean;
}

/**
 * Adds an OAuth client (CLI-friendly). A confidential client gets a generated secret, returned once and
 * stored only as a hash. Defaults: confidential → client_credentials; public → authorization_code + refresh_token.
 */
export async function addClient(dataDir: string, input: NewClient): Promise<{ client: OAuthClient; secret?: string }> {
  const clientId = ClientIdSchema.parse(input.clientId);
  const secret = input.type === "confidential" ? generateSecret() : undefined;
  const secretHash = secret === undefined ? undefined : await hashSecret(secret);
  const grantTypes = input.grantTypes ?? (input.type === "confidential" ? ["client_credentials"] : ["authorization_code", "refresh_token"]);
  return update(dataDir, async (ids) => {
    if (findClient(ids, clientId)) throw new Error(`client ${clientId} already exists`);
    const client = ClientSchema.parse({
      clientId,
      oid: randomUUID(),
      displayName: input.displayName ?? clientId,
      type: input.type,
      ...(secretHash === undefined ? {} : { secretHash }),
      grantTypes,
      redirectUris: input.redirectUris ?? [],
      portalRedirects: input.portalRedirects ?? false,
    });
    ids.clients.push(client);
    return secret === undefined ? { client } : { client, secret };
  });
}
