import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint } from "jose";

/**
 * Development only: create a portal command-signing key pair so that the embedded setup can pin it.
 * In production the portal holds its own key and an admin gives its public JWK to `init`.
 */
const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: portal-key DIR\n");
  process.exit(64);
}
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const pub = publicKey.export({ format: "jwk" });
const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: pub.x ?? "" });
writeFileSync(join(dir, "command-key.jwk"), JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid }), { mode: 0o600, flag: "wx" });
writeFileSync(join(dir, "command-key.pub.jwk"), JSON.stringify({ ...pub, kid }), { flag: "wx" });
process.stdout.write(`portal command key ${kid}\n`);
