import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyClient } from "@azure/keyvault-keys";
import { describe, expect, it } from "vitest";
import { startTestTarget } from "./helpers/target";

const options = { disableChallengeResourceVerification: true };
const DAY = 86_400;

describe("soft delete retention", () => {
  it("purges a deleted key once its scheduled purge date passes, also when that happened while the target was down", async () => {
    let now = Math.floor(Date.now() / 1000);
    const t = await startTestTarget({ now: () => now });
    const dataDir = t.dataDir;
    const keys = new KeyClient(t.origin, t.credential, options);
    await keys.createEcKey("retained");
    const deleted = await (await keys.beginDeleteKey("retained")).pollUntilDone();
    expect(deleted.properties.recoverableDays).toBe(90);
    now += 89 * DAY;
    expect(await t.portal.target.purgeDue()).toEqual([]);
    await t.close();
    // Day 91, after a restart: purged on start, and the name is free again.
    now += 2 * DAY;
    const again = await startTestTarget({ now: () => now, dataDir });
    const keys2 = new KeyClient(again.origin, again.credential, options);
    const officer = new KeyClient(again.origin, await again.principalWithRoles("retention-officer", ["515eb02d-2335-4d2d-92f2-b1cbdf9c3778"]), options);
    await expect(officer.getDeletedKey("retained")).rejects.toMatchObject({ statusCode: 404 });
    expect((await keys2.createEcKey("retained")).name).toBe("retained");
    await again.close();
  });
});

describe("domain key sealed by a PKCS#11 token", () => {
  it("keeps keys usable across restarts, and refuses to start with a wrong PIN or the other sealer", async () => {
    const hsm = mkdtempSync(join(tmpdir(), "keyward-sealer-"));
    mkdirSync(join(hsm, "tokens"));
    writeFileSync(join(hsm, "softhsm2.conf"), `directories.tokendir = ${join(hsm, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    process.env.SOFTHSM2_CONF = join(hsm, "softhsm2.conf");
    execFileSync("softhsm2-util", ["--init-token", "--free", "--label", "domain-seal", "--so-pin", "12345678", "--pin", "seal-pin"], { stdio: "ignore" });
    writeFileSync(join(hsm, "pin"), "seal-pin");
    writeFileSync(join(hsm, "wrong-pin"), "not-the-pin");
    const sealing = { kind: "pkcs11" as const, module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "domain-seal", pinFile: join(hsm, "pin"), wrappingKeyLabel: "keyward-domain-key-wrap" };

    const first = await startTestTarget({ sealing });
    const dataDir = first.dataDir;
    const created = await new KeyClient(first.origin, first.credential, options).createKey("sealed", "oct-HSM", { keySize: 256 });
    await first.close();

    await expect(startTestTarget({ sealing: { ...sealing, pinFile: join(hsm, "wrong-pin") }, dataDir })).rejects.toThrow(/PIN/i);
    await expect(startTestTarget({ dataDir })).rejects.toThrow(/pkcs11|seal/i);

    const second = await startTestTarget({ sealing, dataDir });
    const got = await new KeyClient(second.origin, second.credential, options).getKey("sealed");
    expect(got.properties.version).toBe(created.properties.version);
    await second.close();
  });
});
