import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Passwords and client secrets are stored only as scrypt hashes, self-describing so the cost can be
 * raised later without invalidating old hashes: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url).
 * N = 2^15, r = 8 (32 MiB, ~50–100 ms): deliberate cost for guessable passwords; client secrets are
 * random 256-bit values, for which the cost is merely harmless.
 */
const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize("NFC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, LOG_N, R, P);
  return ["scrypt", LOG_N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A hash of nothing in particular, verified against when the user is unknown, so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashSecret(randomBytes(16).toString("base64url"));
  return decoy;
}

/** Constant-time check; a malformed stored hash verifies nothing. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [logN, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length < 16 || expected.length !== KEY_LENGTH) return false;
  const actual = await derive(secret, salt, logN, r, p);
  return timingSafeEqual(actual, expected);
}

/** A random secret for a generated password or client secret: 256 bits, URL-safe. */
export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}
