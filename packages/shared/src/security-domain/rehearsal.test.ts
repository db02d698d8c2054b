import { createHmac, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecurityDomainError } from "./errors.js";
import {
  newRehearsalChallenge,
  REHEARSAL_INFO,
  rehearsalKey,
  rehearsalProof,
  verifyRehearsalProof,
} from "./rehearsal.js";
import { splitSecret } from "./shamir.js";

const [share1, share2] = splitSecret(globalThis.crypto.getRandomValues(new Uint8Array(32)), { shares: 3, required: 2 }) as [
  Uint8Array,
  Uint8Array,
];

describe("quorum rehearsal", () => {
  it("a proof from the right share verifies against the key recorded at download", async () => {
    const recorded = await rehearsalKey(share1);
    const challenge = newRehearsalChallenge();
    const proof = await rehearsalProof(share1, challenge);
    expect(await verifyRehearsalProof(recorded, challenge, proof)).toBe(true);
  });

  it("a proof from another share does not", async () => {
    const challenge = newRehearsalChallenge();
    expect(await verifyRehearsalProof(await rehearsalKey(share1), challenge, await rehearsalProof(share2, challenge))).toBe(false);
  });

  it("a proof for another challenge does not (no replay of an old answer)", async () => {
    const recorded = await rehearsalKey(share1);
    const old = newRehearsalChallenge();
    const fresh = newRehearsalChallenge();
    expect(await verifyRehearsalProof(recorded, fresh, await rehearsalProof(share1, old))).toBe(false);
  });

  it("a tampered or truncated proof does not", async () => {
    const recorded = await rehearsalKey(share1);
    const challenge = newRehearsalChallenge();
    const proof = await rehearsalProof(share1, challenge);
    const flipped = proof.slice();
    flipped[0]! ^= 1;
    expect(await verifyRehearsalProof(recorded, challenge, flipped)).toBe(false);
    expect(await verifyRehearsalProof(recorded, challenge, proof.slice(0, 16))).toBe(false);
  });

  it("is HMAC-SHA-256 under HKDF-SHA-256(share, empty salt, fixed info), as a node:crypto reference computes it", async () => {
    const challenge = Uint8Array.from({ length: 32 }, (_, i) => i);
    const key = new Uint8Array(hkdfSync("sha256", share1, new Uint8Array(0), REHEARSAL_INFO, 32));
    expect(await rehearsalKey(share1)).toEqual(key);
    const expected = createHmac("sha256", key).update(challenge).digest();
    expect(await rehearsalProof(share1, challenge)).toEqual(new Uint8Array(expected));
  });

  it("draws 32-byte challenges from the given random source", () => {
    expect(newRehearsalChallenge((bytes) => bytes.fill(7))).toEqual(new Uint8Array(32).fill(7));
    expect(newRehearsalChallenge()).toHaveLength(32);
  });

  it("refuses a short challenge, an empty share and a key of the wrong size", async () => {
    await expect(rehearsalProof(share1, new Uint8Array(15))).rejects.toThrow(
      new SecurityDomainError("SD_REHEARSAL_PARAMETERS", "the challenge is 15 bytes; a rehearsal challenge is at least 16"),
    );
    await expect(rehearsalKey(new Uint8Array(0))).rejects.toThrow("the share is empty");
    await expect(verifyRehearsalProof(new Uint8Array(16), newRehearsalChallenge(), new Uint8Array(32))).rejects.toThrow(
      "a rehearsal key is 32 bytes; got 16",
    );
    await expect(verifyRehearsalProof(await rehearsalKey(share1), new Uint8Array(8), new Uint8Array(32))).rejects.toThrow(
      "the challenge is 8 bytes; a rehearsal challenge is at least 16",
    );
  });
});
