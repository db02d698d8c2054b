import { constants, createHash, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeOaepSha256, mgf1Sha256, OaepDecodingError } from "../src/hsm/oaep-sha256.js";

// The raw RSA private operation (what CKM_RSA_X_509 does in the token), here with Node and the key in software.
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const K = 256;
const rawDecrypt = (key: KeyObject, ciphertext: Buffer) => privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
const rawEncrypt = (block: Buffer) => publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
const oaep256 = (message: Buffer, extra: { oaepLabel?: Buffer; oaepHash?: string } = {}) =>
  publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: extra.oaepHash ?? "sha256", ...(extra.oaepLabel ? { oaepLabel: extra.oaepLabel } : {}) }, message);

function expectOneError(em: Buffer) {
  let caught: unknown;
  try {
    decodeOaepSha256(em);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(OaepDecodingError);
  expect((caught as Error).message).toBe("RSA-OAEP decryption error");
}

/** A well-formed EM for `message`, built by hand, with one part optionally spoiled before masking. */
function encodeByHand(message: Buffer, spoil: (db: Buffer) => void = () => undefined, y = 0): Buffer {
  const db = Buffer.concat([createHash("sha256").digest(), Buffer.alloc(K - message.length - 2 * 32 - 2), Buffer.from([1]), message]);
  spoil(db);
  const seed = randomBytes(32);
  const maskedDb = Buffer.from(db.map((b, i) => b ^ (mgf1Sha256(seed, db.length)[i] ?? 0)));
  const maskedSeed = Buffer.from(seed.map((b, i) => b ^ (mgf1Sha256(maskedDb, 32)[i] ?? 0)));
  return Buffer.concat([Buffer.from([y]), maskedSeed, maskedDb]);
}

describe("EME-OAEP decoding (SHA-256, MGF1-SHA-256, empty label)", () => {
  for (const length of [0, 1, 32, 64, K - 2 * 32 - 2]) {
    it(`recovers a ${length}-byte message Node encrypted with RSA_PKCS1_OAEP_PADDING / sha256`, () => {
      const message = randomBytes(length);
      expect(decodeOaepSha256(rawDecrypt(privateKey, oaep256(message))).equals(message)).toBe(true);
    });
  }

  it("agrees with a block encoded by hand (so the test's encoder is right too)", () => {
    const message = randomBytes(48);
    const em = encodeByHand(message);
    expect(decodeOaepSha256(em).equals(message)).toBe(true);
    expect(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, rawEncrypt(em)).equals(message)).toBe(true);
  });

  it("refuses, with the one error, a block for a non-empty label", () => {
    expectOneError(rawDecrypt(privateKey, oaep256(randomBytes(32), { oaepLabel: Buffer.from("label") })));
  });

  it("refuses, with the one error, RSA-OAEP with SHA-1", () => {
    expectOneError(rawDecrypt(privateKey, oaep256(randomBytes(32), { oaepHash: "sha1" })));
  });

  it("refuses, with the one error, a ciphertext for another key", () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ciphertext = publicEncrypt({ key: other.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, randomBytes(32));
    // Reduced below our modulus so the raw operation itself succeeds, as in the token.
    expectOneError(rawDecrypt(privateKey, Buffer.concat([Buffer.from([0]), ciphertext.subarray(1)])));
  });

  it("refuses, with the one error, an altered ciphertext", () => {
    const ciphertext = oaep256(randomBytes(64));
    ciphertext[100] = (ciphertext[100] ?? 0) ^ 0x01;
    expectOneError(rawDecrypt(privateKey, ciphertext));
  });

  const spoiled: [string, (db: Buffer) => void, number][] = [
    ["a non-zero first byte", () => undefined, 1],
    ["a wrong label hash", (db) => void (db[5] = (db[5] ?? 0) ^ 0x80), 0],
    ["a non-zero byte in the padding string", (db) => void (db[40] = 2), 0],
    ["no 0x01 separator", (db) => db.fill(0, 32), 0],
    ["a separator other than 0x01", (db) => void (db[db.length - 49] = 0x02), 0],
  ];
  for (const [what, spoil, y] of spoiled) {
    it(`refuses, with the one error, ${what}`, () => {
      expectOneError(encodeByHand(randomBytes(48), spoil, y));
    });
  }

  it("refuses a block too short for SHA-256 OAEP", () => {
    expectOneError(Buffer.alloc(65));
  });
});
