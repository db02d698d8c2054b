import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalTls } from "../src/server/tls/local-ca";

/**
 * One local CA for the whole run, trusted the way a user trusts it: NODE_EXTRA_CA_CERTS, which Node
 * reads at start — so it is set here, before the test processes are forked.
 */
export default async function setup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "keyward-ca-"));
  const tls = await ensureLocalTls(dir);
  process.env.NODE_EXTRA_CA_CERTS = tls.caPath;
  process.env.KEYWARD_TEST_TLS_DIR = join(dir, "tls");
}
