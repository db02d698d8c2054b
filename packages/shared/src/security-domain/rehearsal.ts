import { SecurityDomainError } from "./errors.js";
import type { FillRandom } from "./shamir.js";

/**
 * Quorum rehearsal (issue 5 §3): a custodian's bridge decrypts its share and answers a fresh challenge
 * with proof = HMAC-SHA-256(K, challenge), K = HKDF-SHA-256(ikm = share, salt = empty, info = REHEARSAL_INFO).
 *
 * K is the rehearsal key. The target computes it for each share while it holds them at download time
 * and records it with the custodian; the portal later verifies proofs with it. K reveals nothing about
 * the share (HKDF is one-way, and a share of a 32-byte secret is far beyond guessing); whoever holds K
 * could forge a proof, so K is a record of the portal, never sent to browsers.
 */

export const REHEARSAL_INFO = "keyward security-domain rehearsal v1";
export const REHEARSAL_CHALLENGE_BYTES = 32;
export const MIN_REHEARSAL_CHALLENGE_BYTES = 16;
export const REHEARSAL_KEY_BYTES = 32;
export const REHEARSAL_PROOF_BYTES = 32;

const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
const subtle = () => globalThis.crypto.subtle;

export function newRehearsalChallenge(random: FillRandom = (bytes) => globalThis.crypto.getRandomValues(bytes)): Uint8Array {
  return random(new Uint8Array(REHEARSAL_CHALLENGE_BYTES));
}

/** K for one plaintext share (the encoded share bytes, as decrypted from its JWE). */
export async function rehearsalKey(share: Uint8Array): Promise<Uint8Array> {
  if (share.length === 0) throw new SecurityDomainError("SD_REHEARSAL_PARAMETERS", "the share is empty");
  const ikm = await subtle().importKey("raw", own(share), "HKDF", false, ["deriveBits"]);
  const info = new TextEncoder().encode(REHEARSAL_INFO);
  const bits = await subtle().deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info }, ikm, 8 * REHEARSAL_KEY_BYTES);
  return new Uint8Array(bits);
}

function checkChallenge(challenge: Uint8Array): void {
  if (challenge.length < MIN_REHEARSAL_CHALLENGE_BYTES) {
    throw new SecurityDomainError(
      "SD_REHEARSAL_PARAMETERS",
      `the challenge is ${challenge.length} bytes; a rehearsal challenge is at least ${MIN_REHEARSAL_CHALLENGE_BYTES}`,
    );
  }
}

const hmacKey = (key: Uint8Array, usage: "sign" | "verify") =>
  subtle().importKey("raw", own(key), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

/** On the custodian's bridge: the proof for `challenge`, from the decrypted share. */
export async function rehearsalProof(share: Uint8Array, challenge: Uint8Array): Promise<Uint8Array> {
  checkChallenge(challenge);
  const key = await hmacKey(await rehearsalKey(share), "sign");
  return new Uint8Array(await subtle().sign("HMAC", key, own(challenge)));
}

/** In the portal: whether `proof` answers `challenge` for the share whose rehearsal key is `key`. */
export async function verifyRehearsalProof(key: Uint8Array, challenge: Uint8Array, proof: Uint8Array): Promise<boolean> {
  if (key.length !== REHEARSAL_KEY_BYTES) {
    throw new SecurityDomainError("SD_REHEARSAL_PARAMETERS", `a rehearsal key is ${REHEARSAL_KEY_BYTES} bytes; got ${key.length}`);
  }
  checkChallenge(challenge);
  if (proof.length !== REHEARSAL_PROOF_BYTES) return false;
  // WebCrypto's verify compares in constant time.
  return subtle().verify("HMAC", await hmacKey(key, "verify"), own(proof), own(challenge));
}
