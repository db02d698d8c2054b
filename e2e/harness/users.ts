import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { ProductState } from "./state";

export interface TestUser {
  username: string;
  password: string;
  /** The principal id role assignments name. */
  oid: string;
  displayName: string;
}

/**
 * A new local user of the embedded issuer, made with the product's own CLI (apps/web/scripts/users.ts)
 * against the running portal's data directory. A random suffix keeps names unique across tests.
 */
export function addUser(product: ProductState, prefix = "user", displayName?: string): TestUser {
  const username = `${prefix}-${randomBytes(3).toString("hex")}`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/users.ts", "add", username, "--json", ...(displayName ? ["--display-name", displayName] : [])], {
    cwd: product.webDir,
    env: { ...process.env, KEYWARD_HOME: product.home },
    encoding: "utf8",
  });
  return JSON.parse(out) as TestUser;
}
