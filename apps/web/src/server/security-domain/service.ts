import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  createSecurityDomain,
  DOMAIN_SECRET_TAG,
  openRestoreBlob,
  parseRestoreBlob,
  SecurityDomainError,
  serializeSecurityDomainFile,
  TargetError,
  SecurityDomainDownloadRequestSchema,
  unwrapWithPrivateKey,
  type ExchangeKey,
  type SecurityDomainDownloadRequest,
  type SecurityDomainOperationStatus,
  type TransferKeyJwk,
} from "@keyward/shared";
import { DOMAIN_KEY_BYTES, domainKeyFromBytes, installDomainKey, readDomainKey, type DomainKeyHolder, type DomainKeySealer } from "../domain-key";
import { describeIssues } from "../target/http";
import { acceptCustodianSet } from "./custodian-set";
import { notActivated, restoreRequired, SD_INNER_CODES, type DownloadWarning } from "./errors";
import { discardExchangeKey, ensureExchangeKey, loadExchangeKey, transferKeyJwk } from "./exchange-key";
import type { CustodianRecord, SecurityDomainRecord, SecurityDomainStore } from "./store";

/** `awaiting-restore`: the domain is recorded (active) but this process has no domain key file. */
export type TargetSecurityState = "provisioned" | "active" | "awaiting-restore";

/** A custodian as the portal may show it: everything recorded except the rehearsal key. */
export type CustodianView = Omit<CustodianRecord, "rehearsalKey">;

export interface SecurityDomainStatus {
  state: TargetSecurityState;
  fingerprint: string;
  activatedAt: number | null;
  downloadedAt: number | null;
  required: number | null;
  custodians: CustodianView[];
  downloadInProgress: boolean;
  lastUpload: { status: "Success" | "Failed"; details: string; at: number } | null;
}

export interface DownloadResult {
  /** The security-domain file (JSON text): the download's `value`. */
  file: string;
  warnings: readonly DownloadWarning[];
  custodians: CustodianView[];
}

export interface SecurityDomainServiceOptions {
  store: SecurityDomainStore;
  holder: DomainKeyHolder;
  /** The record as `openSecurityDomain` found or made it. */
  record: SecurityDomainRecord;
  /** Where the domain key file is (re)written by a restore. */
  domainKeyPath: string;
  dataDir: string;
  sealer: DomainKeySealer;
  log: Logger;
  /** Unix seconds: the target's clock. */
  now: () => number;
}

/** Another portal process on the same PostgreSQL may activate or restore: its changes are seen this soon. */
const RECHECK_MS = 1000;

const view = ({ rehearsalKey: _secret, ...rest }: CustodianRecord): CustodianView => rest;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The local target's security domain: activation by download, the exchange key and restore by upload,
 * and the gate that keeps key operations shut until the target is active and holds its domain key.
 * The portal calls it in-process (`target.securityDomain`); the HTTP endpoints are thin wrappers.
 */
export class SecurityDomainService {
  private record: SecurityDomainRecord;
  private checkedAt = Date.now();
  private readonly o: SecurityDomainServiceOptions;

  constructor(o: SecurityDomainServiceOptions) {
    this.o = o;
    this.record = o.record;
  }

  private get open(): boolean {
    return this.record.state === "active" && this.o.holder.loaded;
  }

  /** The record as of at most a second ago (now, when `fresh`); picks up a domain key another process restored. */
  private async current(fresh = false): Promise<SecurityDomainRecord> {
    if (this.open && !fresh) return this.record;
    if (fresh || Date.now() - this.checkedAt >= RECHECK_MS) {
      this.record = (await this.o.store.read()) ?? this.record;
      this.checkedAt = Date.now();
      if (!this.o.holder.loaded) await this.adoptRestoredKeyFile();
    }
    return this.record;
  }

  /** A process sharing this data directory may have restored the domain key file meanwhile. */
  private async adoptRestoredKeyFile(): Promise<void> {
    const key = await readDomainKey({ path: this.o.domainKeyPath, sealer: this.o.sealer }).catch(() => null);
    if (key && key.fingerprint === this.record.fingerprint) this.o.holder.load(key);
  }

  async state(): Promise<TargetSecurityState> {
    const record = await this.current();
    if (!this.o.holder.loaded) return "awaiting-restore";
    return record.state;
  }

  /** The gate of every key operation (Key Vault and KMS): resolves only on an active target holding its domain key. */
  async requireKeyOperations(): Promise<void> {
    if (this.open) return;
    const state = await this.state();
    if (state === "provisioned") throw notActivated();
    if (state === "awaiting-restore") throw restoreRequired(this.record.fingerprint);
  }

  async status(): Promise<SecurityDomainStatus> {
    const state = await this.state();
    const r = this.record;
    return {
      state,
      fingerprint: r.fingerprint,
      activatedAt: r.activatedAt,
      downloadedAt: r.downloadedAt,
      required: r.required,
      custodians: r.custodians.map(view),
      downloadInProgress: r.downloadLeaseUntil !== null && r.downloadLeaseUntil > Date.now(),
      lastUpload: r.upload,
    };
  }

  /**
   * Activate (or re-wrap) the security domain for a new custodian set: the same domain key under a new
   * master key split m-of-n to these certificates. Refusals name every problem and change nothing.
   */
  async download(input: SecurityDomainDownloadRequest): Promise<DownloadResult> {
    const parsed = SecurityDomainDownloadRequestSchema.safeParse(input);
    if (!parsed.success) throw new TargetError("BadParameter", describeIssues(parsed.error));
    const req = parsed.data;
    await this.current(true);
    if (!this.o.holder.loaded) throw restoreRequired(this.record.fingerprint);
    const accepted = acceptCustodianSet(req.certificates, req.required, new Date(this.o.now() * 1000));
    const owner = `${process.pid}:${randomUUID()}`;
    if (!(await this.o.store.claimDownload(owner))) {
      throw new TargetError(
        "Conflict",
        "Another security-domain download is in progress on this target; wait for it to finish (GET /securitydomain/download/pending), then download again if you still need to.",
        SD_INNER_CODES.downloadInProgress,
      );
    }
    try {
      const key = this.o.holder.current();
      const secret = key.secret.export();
      let created: Awaited<ReturnType<typeof createSecurityDomain>>;
      try {
        created = await createSecurityDomain({ secret, recipients: accepted.recipients, required: req.required });
      } finally {
        secret.fill(0);
      }
      const file = serializeSecurityDomainFile(created.file);
      const custodians: CustodianRecord[] = created.shares.map((share, i) => {
        const certificate = accepted.certificates[i];
        if (!certificate || certificate.custodian.thumbprintSha256 !== share.thumbprintSha256) throw new Error("shares out of step with certificates");
        return {
          thumbprintSha256: share.thumbprintSha256,
          subject: certificate.subject,
          notAfter: Math.floor(certificate.custodian.notAfter.getTime() / 1000),
          shareNumber: share.shareNumber,
          rehearsalKey: Buffer.from(share.rehearsalKey).toString("base64url"),
        };
      });
      const at = this.o.now();
      await this.o.store.recordDownload(owner, { fingerprint: key.fingerprint, required: req.required, custodians, file, at });
      this.o.log.info(
        { event: "security_domain_downloaded", fingerprint: key.fingerprint, required: req.required, custodians: custodians.map((c) => c.thumbprintSha256) },
        `security domain downloaded: ${req.required} of ${custodians.length} custodians recover it`,
      );
      await this.current(true);
      return { file, warnings: accepted.warnings, custodians: custodians.map(view) };
    } finally {
      await this.o.store.releaseDownload(owner);
    }
  }

  async downloadStatus(): Promise<SecurityDomainOperationStatus> {
    const r = await this.current(true);
    if (r.downloadLeaseUntil !== null && r.downloadLeaseUntil > Date.now()) return { status: "InProgress", status_details: "a security-domain download is in progress" };
    if (r.state === "active" && r.downloadedAt !== null) {
      return { status: "Success", status_details: `the security domain was downloaded at ${iso(r.downloadedAt)} (quorum ${r.required} of ${r.custodians.length})` };
    }
    return { status: "Failed", status_details: "no security domain has been downloaded: this target is not activated" };
  }

  /** The exchange key as `GET /securitydomain/upload` serves it (made on first request, kept across restarts). */
  async transferKey(): Promise<TransferKeyJwk> {
    return transferKeyJwk(await ensureExchangeKey(this.o.dataDir, this.o.sealer, this.o.now() * 1000));
  }

  /** The exchange key a restore blob is built for. */
  async exchangeKey(): Promise<ExchangeKey> {
    const pair = await ensureExchangeKey(this.o.dataDir, this.o.sealer, this.o.now() * 1000);
    return { publicJwk: pair.publicJwk, thumbprintSha256: pair.thumbprintSha256 };
  }

  /** `POST /securitydomain/upload`: restore, and record the outcome for `…/upload/pending`. */
  async upload(restoreBlob: string): Promise<SecurityDomainOperationStatus> {
    try {
      const details = await this.restoreFrom(restoreBlob);
      await this.o.store.recordUpload({ status: "Success", details, at: this.o.now() });
      return { status: "Success", status_details: details };
    } catch (err) {
      if (err instanceof TargetError) await this.o.store.recordUpload({ status: "Failed", details: err.message, at: this.o.now() });
      throw err;
    }
  }

  /** Upload a restore blob; throws a TargetError when the target refuses it (and then nothing changed). */
  async restore(restoreBlob: string): Promise<void> {
    await this.upload(restoreBlob);
  }

  async uploadStatus(): Promise<SecurityDomainOperationStatus> {
    const { upload } = await this.current(true);
    if (!upload) return { status: "Failed", status_details: "no security domain has been uploaded to this target" };
    return { status: upload.status, status_details: upload.details };
  }

  /** The security-domain file of the last download (JSON text), for recovery and rehearsal. */
  async latestFile(): Promise<string | null> {
    return (await this.current(true)).file;
  }

  /** The key that checks rehearsal proofs of the share encrypted to this certificate, if it is in the current set. */
  async rehearsalKey(thumbprintSha256: string): Promise<Uint8Array | null> {
    const found = (await this.current(true)).custodians.find((c) => c.thumbprintSha256 === thumbprintSha256);
    return found ? new Uint8Array(Buffer.from(found.rehearsalKey, "base64url")) : null;
  }

  private async restoreFrom(text: string): Promise<string> {
    const invalid = (err: unknown): never => {
      if (err instanceof SecurityDomainError) throw new TargetError("BadParameter", `The security domain was not restored: ${err.message}.`, SD_INNER_CODES.invalidRestoreBlob);
      throw err;
    };
    const blob = (() => {
      try {
        return parseRestoreBlob(text);
      } catch (err) {
        return invalid(err);
      }
    })();
    const exchange = await loadExchangeKey(this.o.dataDir, this.o.sealer, this.o.now() * 1000);
    if (!exchange) {
      throw new TargetError(
        "BadParameter",
        "The security domain was not restored: this target has no current exchange key. Ask for it (GET /securitydomain/upload) and build the restore blob for it.",
        SD_INNER_CODES.noExchangeKey,
      );
    }
    const items = await openRestoreBlob(blob, exchange.thumbprintSha256, unwrapWithPrivateKey(exchange.privateKey)).catch(invalid);
    try {
      const secret = items.get(DOMAIN_SECRET_TAG);
      if (!secret || secret.length !== DOMAIN_KEY_BYTES) {
        throw new TargetError(
          "BadParameter",
          `The security domain was not restored: the restore blob carries no Keyward domain key (EncData tag "${DOMAIN_SECRET_TAG}").`,
          SD_INNER_CODES.wrongDomain,
        );
      }
      const key = domainKeyFromBytes(secret);
      const record = await this.current(true);
      if (key.fingerprint !== record.fingerprint) {
        throw new TargetError(
          "BadParameter",
          `The security domain was not restored: the restore blob is of security domain ${key.fingerprint}, but this target's keys are encrypted under security domain ${record.fingerprint}. Nothing was changed.`,
          SD_INNER_CODES.wrongDomain,
        );
      }
      if (!this.o.holder.loaded) {
        // Written whole or not at all: a process killed here leaves the target awaiting restore as before.
        this.o.holder.load(await installDomainKey({ path: this.o.domainKeyPath, sealer: this.o.sealer }, secret));
        this.o.log.warn({ event: "security_domain_restored", fingerprint: key.fingerprint }, "security domain restored: the domain key is back and key operations are open again");
      }
      // One exchange key per restore: a blob made for it is not accepted twice.
      await discardExchangeKey(this.o.dataDir);
      return `the security domain ${key.fingerprint} was restored at ${iso(this.o.now())}; the target holds its domain key`;
    } finally {
      for (const value of items.values()) value.fill(0);
    }
  }
}
