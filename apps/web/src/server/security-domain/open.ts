import type { Logger } from "pino";
import { DomainKeyError, DomainKeyHolder, domainKeyFilePath, openDomainKey, readDomainKey, type DomainKey, type DomainKeySealer } from "../domain-key";
import type { Db } from "../store";
import { restoreRequired } from "./errors";
import { SecurityDomainService } from "./service";
import { SecurityDomainStore, type SecurityDomainRecord } from "./store";

export interface OpenSecurityDomainOptions {
  db: Db;
  dataDir: string;
  sealer: DomainKeySealer;
  log: Logger;
  /** Unix seconds. */
  now: () => number;
}

export interface OpenedSecurityDomain {
  service: SecurityDomainService;
  holder: DomainKeyHolder;
}

/**
 * At start: the domain key and the security-domain record, reconciled. A fresh install makes its domain
 * key and records it provisioned. A database that records an activated domain whose key file is missing
 * (a wiped or replaced host) must never get a new key — every key would be orphaned — so the target
 * opens awaiting restore. A key file of another domain than the database records is refused.
 */
export async function openSecurityDomain(o: OpenSecurityDomainOptions): Promise<OpenedSecurityDomain> {
  const store = new SecurityDomainStore(o.db);
  await store.dropLeasesOfDeadProcesses();
  const path = domainKeyFilePath(o.dataDir);
  const existing = await readDomainKey({ path, sealer: o.sealer });
  let record = await store.read();
  let key: DomainKey | undefined = existing ?? undefined;

  if (!record) {
    key ??= await openDomainKey({ path, sealer: o.sealer });
    record = await store.create(key.fingerprint, o.now());
  } else if (!existing && record.state === "provisioned") {
    key = await replaceLostProvisionedKey(store, record, path, o);
    record = (await store.read()) ?? record;
  }
  if (key && key.fingerprint !== record.fingerprint) {
    throw new DomainKeyError(
      "FINGERPRINT_MISMATCH",
      `${path} holds domain key ${key.fingerprint}, but the database records security domain ${record.fingerprint}: this data directory and this database belong to different instances`,
    );
  }
  const fingerprint = record.fingerprint;
  const holder = new DomainKeyHolder(key, () => restoreRequired(fingerprint));
  if (!key) {
    o.log.warn(
      { event: "security_domain_awaiting_restore", fingerprint, path },
      `the database records security domain ${fingerprint} but ${path} is missing: key operations are refused until the security domain is restored (upload)`,
    );
  } else if (record.state === "provisioned") {
    o.log.warn({ event: "security_domain_provisioned", fingerprint }, "this target is not activated: download its security domain to allow key operations");
  }
  const service = new SecurityDomainService({ store, holder, record, domainKeyPath: path, dataDir: o.dataDir, sealer: o.sealer, log: o.log, now: o.now });
  return { service, holder };
}

/**
 * A provisioned domain was never downloaded, so nothing can restore its key; when nothing is encrypted
 * under it yet, a new key takes its place. When something is, starting would orphan it: refused.
 */
async function replaceLostProvisionedKey(store: SecurityDomainStore, record: SecurityDomainRecord, path: string, o: OpenSecurityDomainOptions): Promise<DomainKey> {
  if (await store.holdsSealedMaterial()) {
    throw new DomainKeyError(
      "KEY_FILE_MISSING",
      `${path} is missing, the database holds keys encrypted under domain key ${record.fingerprint}, and no security domain was ever downloaded to restore it: put the domain key file back`,
    );
  }
  const key = await openDomainKey({ path, sealer: o.sealer });
  if (await store.replaceProvisionedKey(record.fingerprint, key.fingerprint)) {
    o.log.warn({ event: "security_domain_key_replaced", from: record.fingerprint, to: key.fingerprint }, "the never-activated domain key file was missing; a new domain key replaces it");
  }
  return key;
}
