/**
 * Keyward portal: one HTTPS origin serving the portal UI, the local target (Key Vault keys API) and,
 * on the embedded default, the development identity provider. Run after `next build`.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { pino } from "pino";
import { readPortalEnv } from "./src/server/env";
import { startPortalServer } from "./src/server/portal-server";

const env = readPortalEnv();
const log = pino({ level: env.logLevel, base: { service: "keyward-portal" } });
const ui = next({ dev: false, dir: dirname(fileURLToPath(import.meta.url)), hostname: env.host, port: env.port });
await ui.prepare();
const handleUi = ui.getRequestHandler();

const portal = await startPortalServer({
  dataDir: env.dataDir,
  host: env.host,
  port: env.port,
  hostnames: env.hostnames,
  databaseUrl: env.databaseUrl,
  auth: env.auth,
  attestation: env.attestation,
  sealing: env.sealing,
  kms: { allowPkcs1: env.kmsAllowPkcs1 },
  securityDomainDevCustodians: env.sdDevCustodians,
  log,
  ui: (req, res) => handleUi(req, res),
});

log.info({ event: "listening", origin: portal.origin, ca: portal.caPath, store: env.databaseUrl ? "postgresql" : "pglite" }, `portal and local target on ${portal.origin}`);
process.stdout.write(
  [
    `keyward: portal + local target  ${portal.origin}`,
    `keyward: local CA certificate   ${portal.caPath}`,
    `keyward:   trust it for scripts with NODE_EXTRA_CA_CERTS=${portal.caPath}`,
    ...(portal.target.initialCredentials ? [portal.target.initialCredentials] : []),
    ...(portal.target.devActivation?.notice ? [`keyward: ${portal.target.devActivation.notice}`] : []),
    "",
  ].join("\n"),
);

const stop = (signal: string) => {
  log.info({ event: "stopping", signal }, "stopping");
  void portal.close().then(() => process.exit(0));
};
process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));
