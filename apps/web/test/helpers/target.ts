import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS, HSM_SCOPE, roleDefinitionId, type AttestationConfig, type DomainKeySealing, type RoleAssignment } from "@keyward/shared";
import { addClient, clientSecretCredential } from "../../src/server/auth";
import { startPortalServer, type PortalServer } from "../../src/server/portal-server";
import { defaultCustodians } from "./security-domain";

export interface TestTarget {
  portal: PortalServer;
  origin: string;
  dataDir: string;
  /** The seeded `keyward-cli` client (Crypto User at /). */
  credential: ReturnType<typeof clientSecretCredential>;
  /** Credentials printed once at first start. */
  initial: { admin: { username: string; password: string }; cli: { clientId: string; clientSecret: string } };
  token(clientId?: string, secret?: string): Promise<string>;
  /** A new confidential client holding these built-in roles at `/`. */
  principalWithRoles(clientId: string, roleIds: readonly string[]): Promise<ReturnType<typeof clientSecretCredential>>;
  close(): Promise<void>;
}

export interface TestTargetOptions {
  databaseUrl?: string;
  attestation?: AttestationConfig;
  sealing?: DomainKeySealing;
  now?: () => number;
  dataDir?: string;
  /**
   * Download the security domain of a provisioned target (the default), through the real endpoint, to
   * the three software custodians of `defaultCustodians()` with m = 2; false leaves it provisioned.
   */
  activate?: boolean;
  /** KEYWARD_SD_DEV_CUSTODIANS: the target activates itself with the certificates in this directory. */
  devCustodians?: string;
}

/** The client that activates test targets; its Administrator grant is removed again once it has. */
const ACTIVATOR = "keyward-test-activator";

async function activate(portal: PortalServer, dataDir: string, tokenEndpoint: string): Promise<void> {
  if ((await portal.target.securityDomain.state()) !== "provisioned") return;
  const { client, secret } = await addClient(dataDir, { clientId: ACTIVATOR, type: "confidential" });
  const grant: RoleAssignment = { name: randomUUID(), scope: HSM_SCOPE, principalId: client.oid, roleDefinitionId: roleDefinitionId(BUILT_IN_ROLE_IDS.administrator) };
  await portal.target.ctx.rbac.store.put(grant);
  try {
    const token = await clientSecretCredential({ tokenEndpoint, clientId: ACTIVATOR, clientSecret: secret ?? "" }).getToken("https://managedhsm.azure.net/.default");
    const res = await fetch(`${portal.origin}/securitydomain/download?api-version=7.5`, {
      method: "POST",
      headers: { authorization: `Bearer ${token?.token ?? ""}`, "content-type": "application/json" },
      body: JSON.stringify({ certificates: (await defaultCustodians()).map((c) => c.jwk), required: 2 }),
    });
    if (res.status !== 202) throw new Error(`the test target was not activated: ${res.status} ${await res.text()}`);
  } finally {
    await portal.target.ctx.rbac.store.delete(grant.name);
  }
}

/** The local target on its embedded defaults, over HTTPS with the run's CA, on a free port. */
export async function startTestTarget(opts: TestTargetOptions = {}): Promise<TestTarget> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "keyward-target-"));
  const tlsDir = process.env.KEYWARD_TEST_TLS_DIR;
  if (tlsDir && !opts.dataDir) cpSync(tlsDir, join(dataDir, "tls"), { recursive: true });
  const portal = await startPortalServer({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    databaseUrl: opts.databaseUrl,
    auth: { kind: "embedded" },
    attestation: opts.attestation,
    sealing: opts.sealing,
    securityDomainDevCustodians: opts.devCustodians,
    ...(opts.now ? { now: opts.now } : {}),
    log: pino({ level: "silent" }),
  });
  const initial = JSON.parse(readFileSync(join(dataDir, "auth", "initial-credentials.json"), "utf8")) as TestTarget["initial"];
  const tokenEndpoint = `${portal.origin}/oidc/token`;
  if (opts.activate !== false) await activate(portal, dataDir, tokenEndpoint).catch(async (err: unknown) => {
    await portal.close();
    throw err;
  });
  const credential = clientSecretCredential({ tokenEndpoint, clientId: initial.cli.clientId, clientSecret: initial.cli.clientSecret });
  return {
    portal,
    origin: portal.origin,
    dataDir,
    credential,
    initial,
    async token(clientId = initial.cli.clientId, secret = initial.cli.clientSecret) {
      const t = await clientSecretCredential({ tokenEndpoint, clientId, clientSecret: secret }).getToken("https://managedhsm.azure.net/.default");
      if (!t) throw new Error("no token");
      return t.token;
    },
    async principalWithRoles(clientId, roleIds) {
      const { client, secret } = await addClient(dataDir, { clientId, type: "confidential" });
      for (const roleId of roleIds) {
        await portal.target.ctx.rbac.store.put({ name: randomUUID(), scope: "/", principalId: client.oid, roleDefinitionId: roleDefinitionId(roleId) });
      }
      return clientSecretCredential({ tokenEndpoint, clientId, clientSecret: secret ?? "" });
    },
    close: () => portal.close(),
  };
}
