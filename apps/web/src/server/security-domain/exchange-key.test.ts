import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptRsaJwe, encryptToRsaJwe, unwrapWithPrivateKey } from "@keyward/shared";
import { keyFileSealer, type DomainKeySealer } from "../domain-key";
import { discardExchangeKey, ensureExchangeKey, exchangeKeyDir, loadExchangeKey, transferKeyJwk } from "./exchange-key";
import { exchangeKeyFromTransferKey } from "@keyward/shared";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "keyward-exchange-key-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const path = () => join(exchangeKeyDir(dataDir), "exchange-key.json");

describe("the exchange key", () => {
  it("is made once, kept (0600) across loads — a restart — and opens what was encrypted to it", async () => {
    const made = await ensureExchangeKey(dataDir, keyFileSealer(), NOW);
    expect(made.certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect((await stat(path())).mode & 0o777).toBe(0o600);
    expect((await stat(exchangeKeyDir(dataDir))).mode & 0o777).toBe(0o700);
    const again = await loadExchangeKey(dataDir, keyFileSealer(), NOW + DAY);
    expect(again?.thumbprintSha256).toBe(made.thumbprintSha256);
    const jwe = await encryptToRsaJwe(made.publicJwk, new Uint8Array([1, 2, 3]));
    expect(await decryptRsaJwe(jwe, unwrapWithPrivateKey(again!.privateKey))).toEqual(new Uint8Array([1, 2, 3]));
    // The private key is not in the file in the clear.
    const text = await readFile(path(), "utf8");
    expect(text).not.toMatch(/PRIVATE KEY|"d"/);
  });

  it("is served as a JWK with x5c and x5t#S256, read back in both wire forms", async () => {
    const made = await ensureExchangeKey(dataDir, keyFileSealer(), NOW);
    const jwk = transferKeyJwk(made);
    const expected = { publicJwk: made.publicJwk, thumbprintSha256: made.thumbprintSha256 };
    expect(exchangeKeyFromTransferKey({ key_format: "jwk", transfer_key: JSON.stringify(jwk) })).toEqual(expected);
    expect(exchangeKeyFromTransferKey({ key_format: "jwk", transfer_key: jwk })).toEqual(expected);
    expect(() => exchangeKeyFromTransferKey({ key_format: "jwk", transfer_key: "{" })).toThrow(/not JSON/);
  });

  it("is replaced after it is discarded (a finished restore) and when its certificate expires", async () => {
    const first = await ensureExchangeKey(dataDir, keyFileSealer(), NOW);
    await discardExchangeKey(dataDir);
    expect(await loadExchangeKey(dataDir, keyFileSealer(), NOW)).toBeNull();
    const second = await ensureExchangeKey(dataDir, keyFileSealer(), NOW);
    expect(second.thumbprintSha256).not.toBe(first.thumbprintSha256);
    expect(await loadExchangeKey(dataDir, keyFileSealer(), NOW + 31 * DAY)).toBeNull();
    const third = await ensureExchangeKey(dataDir, keyFileSealer(), NOW + 31 * DAY);
    expect(third.thumbprintSha256).not.toBe(second.thumbprintSha256);
  });

  it("is one key when asked for by several requests at once", async () => {
    const all = await Promise.all(Array.from({ length: 2 }, () => ensureExchangeKey(dataDir, keyFileSealer(), NOW)));
    expect(new Set(all.map((k) => k.thumbprintSha256)).size).toBe(1);
  });

  it("is not used when sealed by another sealer or damaged; a new one replaces it", async () => {
    const first = await ensureExchangeKey(dataDir, keyFileSealer(), NOW);
    const other: DomainKeySealer = { ...keyFileSealer(), kind: "pkcs11" };
    expect(await loadExchangeKey(dataDir, other, NOW)).toBeNull();
    await writeFile(path(), "{ damaged", { mode: 0o600 });
    expect(await loadExchangeKey(dataDir, keyFileSealer(), NOW)).toBeNull();
    expect((await ensureExchangeKey(dataDir, keyFileSealer(), NOW)).thumbprintSha256).not.toBe(first.thumbprintSha256);
  });
});
