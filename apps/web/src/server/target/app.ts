import { join } from "node:path";
import { readFile } from "node:fs/promises";
import type { AttestationConfig, AuthConfig, DomainKeySealing } from "@keyward/shared";
import type { Logger } from "pino";
import { authenticatorFromConfig, createDevIssuer, ensureEmbeddedIdentities, formatInitialCredentials, type DevIssuer } from "../auth";
import { keyFileSealer, type DomainKeySealer } from "../domain-key";
import { materialCipher } from "../domain-key/material";
import { openKmsEndpoint, type KmsEndpoint, type KmsOptions } from "../kms/app";
import { cachedRoleAssignments, createAuthorizer, createSqlRoleAssignmentStore, seedEmbeddedAssignments } from "../rbac";
import { activateWhenDevCustodiansExist, openSecurityDomain, type DevActivation, type SecurityDomainService } from "../security-domain";
import { createKeyStore, sharedDb, type Db } from "../store";
import { attestationVerifier } from "./attestation";
import type { TargetContext } from "./context";
import { forgettingStore, KeyRecordCache } from "./key-cache";
import { MaterialCache } from "./material";
import { loadOrCreateReleaseSigner } from "./release-signer";
import { createTargetHandler } from "./server";

export interface TargetOptions {
  dataDir: string;
  /** PostgreSQL; the embedded PGlite in `<dataDir>/db` when absent. */
  databaseUrl?: string | undefined;
  /** The HTTPS origin the target and the development issuer are reached at. */
  origin: string;
  auth: AuthConfig;
  /** Attestation authorities trusted for secure key release; none by default (every release refused). */
  attestation?: AttestationConfig | undefined;
  /** The domain key's sealing; a key file in the data directory by default. */
  sealing?: DomainKeySealing | undefined;
  log: Logger;
  now?: () => number;
  /** How often soft-deleted keys past their purge date are purged (default every minute). */
  purgeIntervalMs?: number;
  /** The KMS endpoint (Alibaba Cloud KMS API) on the same origin and database. */
  kms?: KmsOptions | undefined;
  /**
   * KEYWARD_SD_DEV_CUSTODIANS: certificates of development custodians (`<dir>/*\/custodian.pem`) that a
   * provisioned target activates itself with (quorum 2), loudly marked not for production.
   */
  securityDomainDevCustodians?: string | undefined;
}

export interface Target {
  ctx: TargetContext;
  db: Db;
  devIssuer: DevIssuer | undefined;
  /** Printed once on first start: the admin password and the CLI secret (embedded default), the KMS AccessKey pair. */
  initialCredentials: string | undefined;
  handle: ReturnType<typeof createTargetHandler>;
  kms: KmsEndpoint;
  /** The security domain: state, download, exchange key and restore, as the portal calls them. */
  securityDomain: SecurityDomainService;
  /** What the development custodians did at this start, when configured. */
  devActivation: DevActivation | undefined;
  /** Purge soft-deleted keys whose scheduled purge date has passed; returns their names. */
  purgeDue(): Promise<string[]>;
  close(): Promise<void>;
}

async function sealerFor(sealing: DomainKeySealing | undefined): Promise<DomainKeySealer> {
  if (!sealing || sealing.kind === "key-file") return keyFileSealer();
  // Loaded only when configured: the PKCS#11 binding is a native module.
  const { pkcs11Sealer } = await import("../domain-key/pkcs11-sealer");
  const pin = (await readFile(sealing.pinFile, "utf8")).trim();
  return pkcs11Sealer({ module: sealing.module, tokenLabel: sealing.tokenLabel, pin, wrappingKeyLabel: sealing.wrappingKeyLabel });
}

/** Open the local target: database and migrations, domain key, identity provider and access control. */
export async function openTarget(o: TargetOptions): Promise<Target> {
  const db = await sharedDb({ databaseUrl: o.databaseUrl, dataDir: o.databaseUrl ? undefined : join(o.dataDir, "db") });
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  // The domain key comes with the security domain: absent (awaiting restore) on a wiped host.
  const securityDomain = await openSecurityDomain({ db, dataDir: o.dataDir, sealer: await sealerFor(o.sealing), log: o.log, now });
  const domainKey = securityDomain.holder.view();
  const keyRecords = new KeyRecordCache(1000);
  const store = forgettingStore(createKeyStore({ db, cipher: materialCipher(domainKey), now }), keyRecords);
  // Every request checks access; another portal process's role changes are seen within a second.
  const rbacStore = cachedRoleAssignments(createSqlRoleAssignmentStore(db), 1000);
  let devIssuer: DevIssuer | undefined;
  let initialCredentials: string | undefined;
  if (o.auth.kind === "embedded") {
    devIssuer = await createDevIssuer({ origin: o.origin, dataDir: o.dataDir, ...(o.auth.lifetimes ? { lifetimes: o.auth.lifetimes } : {}) });
    const seed = await ensureEmbeddedIdentities(o.dataDir);
    await seedEmbeddedAssignments(rbacStore, { adminOid: seed.adminOid, cliOid: seed.cliOid, identitiesCreated: seed.created });
    initialCredentials = formatInitialCredentials(seed);
  }
  const ctx: TargetContext = {
    store,
    authenticator: authenticatorFromConfig(o.auth, { ...(devIssuer ? { devIssuer } : {}) }),
    authorizer: createAuthorizer(rbacStore),
    rbac: { store: rbacStore },
    materials: new MaterialCache(),
    keyRecords,
    domainKey,
    securityDomain: securityDomain.service,
    release: { verifier: attestationVerifier(o.attestation ?? { authorities: [] }), signer: await loadOrCreateReleaseSigner(o.dataDir) },
    log: o.log,
    now,
  };
  const purgeDue = async () => {
    const purged = await store.purgeDue();
    for (const name of purged) ctx.materials.forget(name);
    if (purged.length) o.log.info({ event: "purged", keys: purged }, `purged ${purged.length} soft-deleted key(s) past their purge date`);
    return purged;
  };
  // Also at start: a purge date that passed while the process was down is honoured at once.
  await purgeDue();
  const timer = setInterval(() => void purgeDue().catch((err: unknown) => o.log.error({ err }, "purge failed")), o.purgeIntervalMs ?? 60_000);
  timer.unref();
  const kms = await openKmsEndpoint({
    ...o.kms,
    dataDir: o.dataDir,
    origin: o.origin,
    db,
    domainKey,
    gate: () => securityDomain.service.requireKeyOperations(),
    log: o.log,
    now,
  });
  const dev = o.securityDomainDevCustodians
    ? await activateWhenDevCustodiansExist(securityDomain.service, { dir: o.securityDomainDevCustodians, dataDir: o.dataDir, log: o.log })
    : undefined;
  const devActivation = dev?.first;
  return {
    ctx,
    db,
    devIssuer,
    initialCredentials: [initialCredentials, kms.initialCredentials].filter(Boolean).join("\n") || undefined,
    handle: createTargetHandler(ctx),
    kms,
    securityDomain: securityDomain.service,
    devActivation,
    purgeDue,
    close: async () => {
      clearInterval(timer);
      dev?.stop();
      kms.close();
      await db.close();
    },
  };
}
