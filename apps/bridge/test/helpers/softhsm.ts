import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

/**
 * A fresh SoftHSM2 token in its own directory, made with the real softhsm2-util. Each token gets its
 * own copy of the module: a process loads one library instance per file, and SoftHSM2 reads its
 * configuration (SOFTHSM2_CONF) when that instance initialises, so separate copies are what let one
 * test process hold several independent HSMs (custodian bridges and a recovery bridge) at once.
 */
export function createSoftHsmToken(label = "keyward-test", pin = "1234-test") {
  const dir = mkdtempSync(join(tmpdir(), "keyward-hsm-"));
  mkdirSync(join(dir, "tokens"));
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  execFileSync("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", "12345678", "--pin", pin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: "ignore",
  });
  const module = join(dir, "libsofthsm2.so");
  copyFileSync(SOFTHSM_MODULE, module);
  return { dir, conf, label, pin, module };
}
