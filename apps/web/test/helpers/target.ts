import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { randomUUID } from "node:crypto";
import { roleDefinitionId, type AttestationConfig, type DomainKeySealing } from "@keyward/shared";
import { addClient, clientSecretCredential } from "../../src/server/auth";
import { startPortalServer, type PortalServer } from "../../src/server/portal-server";

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

/** The local target on its embedded defaults, over HTTPS with the run's CA, on a free port. */
export async function startTestTarget(
  opts: { databaseUrl?: string; attestation?: AttestationConfig; sealing?: DomainKeySealing; now?: () => number; dataDir?: string } = {},
): Promise<TestTarget> {
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
    ...(opts.now ? { now: opts.now } : {}),
    log: pino({ level: "silent" }),
  });
  const initial = JSON.parse(readFileSync(join(dataDir, "auth", "initial-credentials.json"), "utf8")) as TestTarget["initial"];
  const tokenEndpoint = `${portal.origin}/oidc/token`;
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
