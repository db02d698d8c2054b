import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { certificateJwk, type CertificateJwk } from "./certificates";
import { MIN_CUSTODIANS } from "@keyward/shared";
import type { SecurityDomainService } from "./service";

/** Where the embedded default keeps the file of its development security domain. */
export const DEV_SECURITY_DOMAIN_FILE = "security-domain.json";
/** The development quorum: two of the three development custodians. */
export const DEV_QUORUM = 2;

export interface DevActivation {
  /** The security-domain file written, when this start activated the target. */
  file: string | undefined;
  /** Printed at start (already logged). */
  notice: string | undefined;
  /** Fewer than three certificates are there yet. */
  waiting?: boolean;
}

/**
 * Activate as soon as the development custodians' certificates are all there, checking every
 * `intervalMs` until then; `stop` ends the wait. A refused download is logged and ends it too.
 */
export async function activateWhenDevCustodiansExist(
  service: SecurityDomainService,
  o: { dir: string; dataDir: string; log: Logger; intervalMs?: number },
): Promise<{ first: DevActivation; stop(): void }> {
  const first = await activateWithDevCustodians(service, o);
  if (!first.waiting) return { first, stop: () => undefined };
  o.log.info({ event: "security_domain_dev_custodians_waiting", dir: o.dir }, `waiting for the development custodians' certificates in ${o.dir}`);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    activateWithDevCustodians(service, o)
      .then((r) => {
        if (!r.waiting) clearInterval(timer);
      })
      .catch((err: unknown) => {
        clearInterval(timer);
        o.log.error({ event: "security_domain_dev_activation_failed", err }, "the development custodians could not activate the security domain");
      })
      .finally(() => {
        busy = false;
      });
  }, o.intervalMs ?? 500);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}

/** `<dir>/*\/custodian.pem` in name order, as `keyward-bridge dev-custodians` leaves them. */
async function readDevCertificates(dir: string): Promise<CertificateJwk[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  entries.sort();
  const jwks: CertificateJwk[] = [];
  for (const name of entries) {
    const path = join(dir, name, "custodian.pem");
    const pem = await readFile(path, "utf8").catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    });
    if (pem === undefined) continue;
    try {
      jwks.push(certificateJwk(pem));
    } catch {
      throw new Error(`${path} is not a PEM certificate`);
    }
  }
  return jwks;
}

/**
 * The embedded default (KEYWARD_SD_DEV_CUSTODIANS): a provisioned target downloads its own security
 * domain to the development custodians' certificates, so that the one-command start is usable at once,
 * and says loudly that such a domain is not for production. An active target is left as it is; a
 * target awaiting restore cannot download and is only warned about. A refused download stops the start.
 */
export async function activateWithDevCustodians(service: SecurityDomainService, o: { dir: string; dataDir: string; log: Logger }): Promise<DevActivation> {
  const state = await service.state();
  if (state === "awaiting-restore") {
    o.log.warn({ event: "security_domain_dev_custodians_skipped", dir: o.dir }, "the target awaits a restore of its security domain; the development custodians cannot activate it");
    return { file: undefined, notice: undefined };
  }
  if (state === "active") return { file: undefined, notice: undefined };
  const certificates = await readDevCertificates(o.dir).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  });
  // `npm start` makes the custodians once the portal is up (their bridges pin its command key): wait for them.
  if (certificates.length < MIN_CUSTODIANS) return { file: undefined, notice: undefined, waiting: true };
  const result = await service.download({ certificates, required: DEV_QUORUM });
  const file = join(o.dataDir, DEV_SECURITY_DOMAIN_FILE);
  await writeFile(file, result.file, { mode: 0o600 });
  await chmod(file, 0o600);
  const notice = [
    `WARNING: this target activated itself with ${certificates.length} DEVELOPMENT custodians (quorum ${DEV_QUORUM}) from ${o.dir}.`,
    "Their private keys are on local SoftHSM2 tokens on this machine: this security domain protects nothing and is NOT FOR PRODUCTION.",
    `The security-domain file is ${file}.`,
  ].join(" ");
  o.log.warn({ event: "security_domain_dev_activation", dir: o.dir, file, custodians: result.custodians.map((c) => c.subject), warnings: result.warnings }, notice);
  return { file, notice };
}
