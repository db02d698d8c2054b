/** The portal server as its own process for benchmarks: prints its origin and CA (the only line on stdout; logs go to stderr), then serves. */
import { pino } from "pino";
import { startPortalServer } from "../../apps/web/src/server/portal-server";
import { defaultCustodians } from "../../apps/web/test/helpers/security-domain";

const [dataDir, databaseUrl] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: target-server DATA_DIR [DATABASE_URL]");
const portal = await startPortalServer({ dataDir, host: "127.0.0.1", port: 0, databaseUrl, auth: { kind: "embedded" }, log: pino({ level: "warn" }, pino.destination(2)) });
// A fresh target takes no key operations until its security domain is downloaded: to software custodians here.
if ((await portal.target.securityDomain.state()) === "provisioned") {
  await portal.target.securityDomain.download({ certificates: (await defaultCustodians()).map((c) => c.jwk), required: 2 });
}
process.stdout.write(`${JSON.stringify({ origin: portal.origin, caPath: portal.caPath })}\n`);
process.once("SIGTERM", () => void portal.close().then(() => process.exit(0)));
