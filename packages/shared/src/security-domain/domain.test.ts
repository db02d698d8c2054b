import { compactDecrypt, exportJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createSecurityDomain, DOMAIN_SECRET_TAG, shareFor, type ShareRecipient } from "./domain.js";
import { decryptRsaJwe, splitCompactJwe, unwrapWithPrivateKey } from "./jwe.js";
import { parseSecurityDomainFile, serializeSecurityDomainFile } from "./file.js";
import { buildRestoreBlob, openRestoreBlob, parseRestoreBlob, type ExchangeKey } from "./restore-blob.js";
import { rehearsalProof, verifyRehearsalProof, newRehearsalChallenge } from "./rehearsal.js";

const subtle = globalThis.crypto.subtle;

interface Holder {
  recipient: ShareRecipient;
  privateKey: CryptoKey;
}

async function holder(name: string): Promise<Holder> {
  const pair = await subtle.generateKey({ name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["encrypt", "decrypt"]);
  const jwk = await exportJWK(pair.publicKey);
  // A stand-in thumbprint: 32 bytes of the name's SHA-256, as a certificate's would be.
  const digest = new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(name)));
  const thumbprintSha256 = Buffer.from(digest).toString("base64url");
  return { recipient: { publicJwk: { kty: "RSA", n: jwk.n as string, e: jwk.e as string }, thumbprintSha256 }, privateKey: pair.privateKey };
}

const exchangeOf = (h: Holder): ExchangeKey => ({ publicJwk: h.recipient.publicJwk, thumbprintSha256: h.recipient.thumbprintSha256 });
const secret = globalThis.crypto.getRandomValues(new Uint8Array(32));

let custodians: Holder[];
let exchange: Holder;

beforeAll(async () => {
  custodians = await Promise.all(["a", "b", "c", "d"].map(holder));
  exchange = await holder("exchange");
});

async function decryptShare(file: ReturnType<typeof parseSecurityDomainFile>, h: Holder): Promise<Uint8Array> {
  return decryptRsaJwe(shareFor(file, h.recipient.thumbprintSha256), unwrapWithPrivateKey(h.privateKey));
}

describe("security domain: download, restore blob, restore", () => {
  it("makes a file in the service's format whose every m-subset of shares restores the secret, and nothing else", async () => {
    const { file, shares } = await createSecurityDomain({ secret, recipients: custodians.map((c) => c.recipient), required: 3 });
    expect(parseSecurityDomainFile(serializeSecurityDomainFile(file))).toEqual(file);
    expect(file.EncData.data.map((d) => d.tag)).toEqual([DOMAIN_SECRET_TAG]);
    expect(file.SharedKeys).toMatchObject({ key_algorithm: "shamir_share", required: 3 });
    expect(splitCompactJwe(file.SharedKeys.enc_shares[0]!.enc_key).header).toEqual({ alg: "RSA-OAEP-256", enc: "A256CBC-HS512", kid: "not used" });
    expect(shares.map((s) => s.shareNumber)).toEqual([1, 2, 3, 4]);

    const plain = await Promise.all(custodians.map((c) => decryptShare(file, c)));
    // jose (an independent JWE implementation) opens the same share.
    const viaJose = await compactDecrypt(file.SharedKeys.enc_shares[1]!.enc_key, custodians[1]!.privateKey);
    expect(viaJose.plaintext).toEqual(plain[1]);

    for (const subset of [[0, 1, 2], [1, 2, 3], [0, 2, 3], [3, 1, 0]]) {
      const blob = await buildRestoreBlob({ file, shares: subset.map((i) => plain[i]!), exchangeKey: exchangeOf(exchange) });
      const opened = await openRestoreBlob(parseRestoreBlob(JSON.stringify(blob)), exchange.recipient.thumbprintSha256, unwrapWithPrivateKey(exchange.privateKey));
      expect(opened.get(DOMAIN_SECRET_TAG)).toEqual(secret);
    }
  });

  it("refuses fewer than m shares, shares of another domain, a tampered blob and a blob for another exchange key", async () => {
    const one = await createSecurityDomain({ secret, recipients: custodians.slice(0, 3).map((c) => c.recipient), required: 2 });
    const other = await createSecurityDomain({ secret: new Uint8Array(32).fill(7), recipients: custodians.slice(0, 3).map((c) => c.recipient), required: 2 });
    const a = await decryptShare(one.file, custodians[0]!);
    const foreign = await decryptShare(other.file, custodians[1]!);
    await expect(buildRestoreBlob({ file: one.file, shares: [a], exchangeKey: exchangeOf(exchange) })).rejects.toMatchObject({ code: "SD_TOO_FEW_SHARES" });
    await expect(buildRestoreBlob({ file: one.file, shares: [a, foreign], exchangeKey: exchangeOf(exchange) })).rejects.toMatchObject({ code: "SD_WRONG_DOMAIN" });

    const b = await decryptShare(one.file, custodians[1]!);
    const blob = await buildRestoreBlob({ file: one.file, shares: [a, b], exchangeKey: exchangeOf(exchange) });
    const unwrap = unwrapWithPrivateKey(exchange.privateKey);
    const item = blob.EncData.data[0]!;
    const parts = item.compact_jwe.split(".");
    const flipped = parts[3]!.startsWith("A") ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    const tampered = { ...blob, EncData: { ...blob.EncData, data: [{ ...item, compact_jwe: [...parts.slice(0, 3), flipped, parts[4]].join(".") }] } };
    await expect(openRestoreBlob(tampered, exchange.recipient.thumbprintSha256, unwrap)).rejects.toMatchObject({ code: "SD_RESTORE_BLOB_MALFORMED" });
    const otherExchange = await holder("other exchange");
    await expect(openRestoreBlob(blob, otherExchange.recipient.thumbprintSha256, unwrapWithPrivateKey(otherExchange.privateKey))).rejects.toMatchObject({ code: "SD_RESTORE_BLOB_MALFORMED" });
    await expect(openRestoreBlob({ ...blob, WrappedKey: { ...blob.WrappedKey, x5t_256: otherExchange.recipient.thumbprintSha256 } }, otherExchange.recipient.thumbprintSha256, unwrapWithPrivateKey(otherExchange.privateKey))).rejects.toMatchObject({ code: "SD_RESTORE_BLOB_MALFORMED" });
    expect(() => parseRestoreBlob("{}")).toThrow(/restore blob/);
    expect(() => shareFor(one.file, custodians[3]!.recipient.thumbprintSha256)).toThrow(/no share/);
  });

  it("records rehearsal keys that check proofs made from the decrypted share only", async () => {
    const { file, shares } = await createSecurityDomain({ secret, recipients: custodians.slice(0, 3).map((c) => c.recipient), required: 2 });
    const challenge = newRehearsalChallenge();
    const share = await decryptShare(file, custodians[2]!);
    const proof = await rehearsalProof(share, challenge);
    expect(await verifyRehearsalProof(shares[2]!.rehearsalKey, challenge, proof)).toBe(true);
    expect(await verifyRehearsalProof(shares[1]!.rehearsalKey, challenge, proof)).toBe(false);
    expect(await verifyRehearsalProof(shares[2]!.rehearsalKey, newRehearsalChallenge(), proof)).toBe(false);
  });

  it("refuses a share JWE opened with the wrong key", async () => {
    const { file } = await createSecurityDomain({ secret, recipients: custodians.slice(0, 3).map((c) => c.recipient), required: 2 });
    await expect(decryptRsaJwe(file.SharedKeys.enc_shares[0]!.enc_key, unwrapWithPrivateKey(custodians[1]!.privateKey))).rejects.toMatchObject({ code: "SD_JWE_INVALID" });
  });
});
