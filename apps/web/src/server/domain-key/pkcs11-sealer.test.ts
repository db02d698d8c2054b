import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkcs11js from "pkcs11js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainKeyFilePath, openDomainKey } from "./domain-key-file";
import { DomainKeyError } from "./errors";
import { pkcs11Sealer, type Pkcs11SealerConfig } from "./pkcs11-sealer";

const MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN = "keyward-domain-test";
const PIN = "1234-test";

let dir: string;

// A real SoftHSM2 token in a directory of its own, made with softhsm2-util.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyward-domain-hsm-"));
  mkdirSync(join(dir, "tokens"));
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync("softhsm2-util", ["--init-token", "--free", "--label", TOKEN, "--so-pin", "12345678", "--pin", PIN], { stdio: "ignore" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (overrides: Partial<Pkcs11SealerConfig> = {}): Pkcs11SealerConfig => ({
  module: MODULE,
  tokenLabel: TOKEN,
  pin: PIN,
  wrappingKeyLabel: "keyward-domain-wrap",
  ...overrides,
});

/** The wrapping key's attributes as the token reports them, read in a session of our own. */
function wrappingKeyAttributes(label: string) {
  const p11 = new pkcs11js.PKCS11();
  p11.load(MODULE);
  p11.C_Initialize();
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === TOKEN)!;
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, PIN);
    p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: label }]);
    const found = p11.C_FindObjects(session, 10);
    p11.C_FindObjectsFinal(session);
    const attrs = found.map((handle) =>
      p11
        .C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_EXTRACTABLE }, { type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_TOKEN }])
        .map((a) => (a.value as Buffer)[0]),
    );
    p11.C_Logout(session);
    return attrs;
  } finally {
    p11.C_Finalize();
  }
}

describe("openDomainKey with the PKCS#11 sealer (SoftHSM2)", () => {
  it("seals a new domain key under a non-extractable token key and unseals it on the next start", async () => {
    const path = domainKeyFilePath(join(dir, "data"));
    const first = await openDomainKey({ path, sealer: pkcs11Sealer(config()) });
    const file = JSON.parse(readFileSync(path, "utf8")) as { sealer: string; sealed: string };
    expect(file.sealer).toBe("pkcs11");
    // RFC 5649 output for a 32-byte key is 40 bytes: the key itself is not in the file.
    expect(Buffer.from(file.sealed, "base64url").length).toBe(40);
    expect(wrappingKeyAttributes("keyward-domain-wrap")).toEqual([[0, 1, 1]]);

    const again = await openDomainKey({ path, sealer: pkcs11Sealer(config()) });
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it("refuses a wrong PIN once, without retrying", async () => {
    const path = domainKeyFilePath(join(dir, "pin"));
    await openDomainKey({ path, sealer: pkcs11Sealer(config()) });
    const error = await openDomainKey({ path, sealer: pkcs11Sealer(config({ pin: "0000" })) }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DomainKeyError);
    expect(error).toMatchObject({ code: "HSM_PIN" });
    expect((error as Error).message).not.toContain("0000");
  });

  it("refuses to unseal when the wrapping key is missing", async () => {
    const path = domainKeyFilePath(join(dir, "missing"));
    await openDomainKey({ path, sealer: pkcs11Sealer(config({ wrappingKeyLabel: "wrap-a" })) });
    await expect(openDomainKey({ path, sealer: pkcs11Sealer(config({ wrappingKeyLabel: "wrap-b" })) })).rejects.toMatchObject({
      code: "HSM_WRAPPING_KEY",
    });
  });

  it("refuses a domain key sealed under another wrapping key", async () => {
    const pathA = domainKeyFilePath(join(dir, "a"));
    const pathB = domainKeyFilePath(join(dir, "b"));
    await openDomainKey({ path: pathA, sealer: pkcs11Sealer(config({ wrappingKeyLabel: "wrap-c" })) });
    await openDomainKey({ path: pathB, sealer: pkcs11Sealer(config({ wrappingKeyLabel: "wrap-d" })) });
    // Put the blob sealed under wrap-c where wrap-d is expected.
    const a = JSON.parse(readFileSync(pathA, "utf8")) as Record<string, unknown>;
    const b = JSON.parse(readFileSync(pathB, "utf8")) as Record<string, unknown>;
    writeFileSync(pathB, JSON.stringify({ ...b, sealed: a.sealed }), { mode: 0o600 });
    await expect(openDomainKey({ path: pathB, sealer: pkcs11Sealer(config({ wrappingKeyLabel: "wrap-d" })) })).rejects.toMatchObject({
      code: "UNSEAL_FAILED",
    });
  });

  it("refuses an unknown token label and an unloadable module", async () => {
    const path = domainKeyFilePath(join(dir, "none"));
    await expect(openDomainKey({ path, sealer: pkcs11Sealer(config({ tokenLabel: "no-such-token" })) })).rejects.toMatchObject({
      code: "HSM_UNAVAILABLE",
    });
    await expect(openDomainKey({ path, sealer: pkcs11Sealer(config({ module: "/nonexistent/libpkcs11.so" })) })).rejects.toMatchObject({
      code: "HSM_UNAVAILABLE",
    });
    // A domain key that could not be sealed is never written down.
    expect(existsSync(path)).toBe(false);
  });
});
