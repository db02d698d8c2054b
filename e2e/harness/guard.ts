import { realpathSync } from "node:fs";
import { basename } from "node:path";

/**
 * e2e creates users, keys and role assignments and deletes what it made: it must never reach a real
 * database or a real HSM. These checks run before anything starts, and again on the bridge's own
 * configuration once `init` has written it.
 */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export class GuardRefusal extends Error {
  override readonly name = "GuardRefusal";
}

/** A PostgreSQL URL is acceptable only on loopback (or a local Unix socket); unset means PGlite. */
export function assertLocalDatabase(databaseUrl: string | undefined): void {
  if (databaseUrl === undefined || databaseUrl === "") return;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new GuardRefusal("e2e refuses to run: DATABASE_URL is not a URL, so it cannot be shown to be local");
  }
  // postgres:///db?host=/var/run/postgresql is a Unix socket: local by construction.
  const socketHost = url.searchParams.get("host");
  const host = url.hostname === "" && (socketHost === null || socketHost.startsWith("/")) ? "localhost" : url.hostname.toLowerCase();
  if (!LOOPBACK.has(host)) throw new GuardRefusal(`e2e refuses to run against the database on ${host}: only a loopback PostgreSQL (or the embedded PGlite) may be used`);
}

/** The PKCS#11 module must be SoftHSM2 (its real file, so a symlink named like it does not pass). */
export function assertSoftHsmModule(modulePath: string): void {
  let real: string;
  try {
    real = realpathSync(modulePath);
  } catch {
    throw new GuardRefusal(`e2e refuses to run: the PKCS#11 module ${modulePath} does not exist`);
  }
  if (!/^libsofthsm2\.so(\.\d+)*$/.test(basename(real))) {
    throw new GuardRefusal(`e2e refuses to run with the PKCS#11 module ${modulePath}: only SoftHSM2 may be used`);
  }
}
