/**
 * Local users of the embedded identity provider, from the command line (works with the portal running:
 * the issuer reads its identities file on every sign-in):
 *   (cd apps/web && node --import tsx scripts/users.ts add alice [--display-name "Alice Ng"] [--json])
 *   (cd apps/web && node --import tsx scripts/users.ts reset-password alice [--json])
 * The generated password is printed once and stored only as a hash. Role assignments are made in the
 * portal (Access) or through the roleAssignments API: a new user holds no role.
 */
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { addLocalUser, setLocalUserPassword } from "../src/server/auth";
import { readPortalEnv } from "../src/server/env";

const USAGE = `usage: users add USERNAME [--display-name NAME] [--json]
       users reset-password USERNAME [--json]
Data directory: $KEYWARD_DATA_DIR, or $KEYWARD_HOME/portal (default .keyward/portal).`;

function usage(): never {
  process.stderr.write(`${USAGE}\n`);
  process.exit(64);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { "display-name": { type: "string" }, json: { type: "boolean", default: false } } });
} catch {
  usage();
}
const { values, positionals } = parsed;
const [command, username] = positionals;
if (!username || positionals.length !== 2 || (command !== "add" && command !== "reset-password")) usage();

const { dataDir } = readPortalEnv();
try {
  const out =
    command === "add"
      ? await addLocalUser(dataDir, { username, ...(values["display-name"] ? { displayName: values["display-name"] } : {}) }).then(({ user, password }) => ({
          username: user.username,
          oid: user.oid,
          displayName: user.displayName,
          password,
        }))
      : { username: username.toLowerCase(), password: await setLocalUserPassword(dataDir, username) };
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const who = "oid" in out ? `user ${out.username} (principal id ${out.oid})` : `user ${out.username}`;
    process.stdout.write(`${command === "add" ? "added" : "new password for"} ${who}\npassword (shown once): ${out.password}\n`);
  }
} catch (err) {
  // Messages from identities.ts name the user or the rule, never a secret.
  const message = err instanceof ZodError ? err.issues.map((i) => i.message).join("; ") : err instanceof Error ? err.message : String(err);
  process.stderr.write(`users: ${message}\n`);
  process.exit(1);
}
