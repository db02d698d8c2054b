import { z } from "zod";
import { ThumbprintSha256Schema } from "@keyward/shared";
import type { Db } from "../store";
import { Leases } from "../store/leases";

/** The target's one row (see migration 008). */
const ROW_ID = "local";
/** A download takes well under a second; a lease left by a process that died lapses after this. */
export const DOWNLOAD_LEASE_MS = 60_000;

export const CustodianRecordSchema = z.object({
  thumbprintSha256: ThumbprintSha256Schema,
  /** The certificate's subject CN (or the whole subject when it has none). */
  subject: z.string(),
  /** Unix seconds. */
  notAfter: z.number().int(),
  shareNumber: z.number().int().min(1).max(126),
  /** base64url; checks this custodian's rehearsal proofs. A secret of the portal: never sent to browsers. */
  rehearsalKey: z.base64url(),
});
export type CustodianRecord = z.infer<typeof CustodianRecordSchema>;

export type ActivationState = "provisioned" | "active";

export interface UploadRecord {
  status: "Success" | "Failed";
  details: string;
  /** Unix seconds. */
  at: number;
}

export interface SecurityDomainRecord {
  /** The fingerprint of the domain key every key of this target is encrypted under. */
  fingerprint: string;
  state: ActivationState;
  createdAt: number;
  activatedAt: number | null;
  downloadedAt: number | null;
  required: number | null;
  custodians: CustodianRecord[];
  /** The security-domain file of the last download (JSON text; only encrypted content). */
  file: string | null;
  /** Unix milliseconds until which a download holds the lease, when one does. */
  downloadLeaseUntil: number | null;
  upload: UploadRecord | null;
}

const RowSchema = z.object({
  fingerprint: z.string(),
  state: z.enum(["provisioned", "active"]),
  created_at: z.number(),
  activated_at: z.number().nullable(),
  downloaded_at: z.number().nullable(),
  required: z.number().nullable(),
  custodians: z.array(CustodianRecordSchema),
  file: z.string().nullable(),
  lease_owner: z.string().nullable(),
  lease_until: z.number().nullable(),
  upload_status: z.enum(["Success", "Failed"]).nullable(),
  upload_details: z.string().nullable(),
  upload_at: z.number().nullable(),
});

function toRecord(row: unknown): SecurityDomainRecord {
  const r = RowSchema.parse(row);
  return {
    fingerprint: r.fingerprint,
    state: r.state,
    createdAt: r.created_at,
    activatedAt: r.activated_at,
    downloadedAt: r.downloaded_at,
    required: r.required,
    custodians: r.custodians,
    file: r.file,
    downloadLeaseUntil: r.lease_owner !== null && r.lease_until !== null ? r.lease_until : null,
    upload: r.upload_status !== null && r.upload_at !== null ? { status: r.upload_status, details: r.upload_details ?? "", at: r.upload_at } : null,
  };
}

export interface DownloadWrite {
  fingerprint: string;
  required: number;
  custodians: readonly CustodianRecord[];
  file: string;
  at: number;
}

/** The security-domain row: every write that belongs together is one statement or one transaction. */
export class SecurityDomainStore {
  private readonly db: Db;
  private readonly leases = new Leases("security_domain", "the security-domain download", DOWNLOAD_LEASE_MS);

  constructor(db: Db) {
    this.db = db;
  }

  async read(): Promise<SecurityDomainRecord | null> {
    const { rows } = await this.db.query("SELECT * FROM security_domain WHERE id = $1", [ROW_ID]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Record a provisioned domain with this key, unless another process recorded one first; the row as it is now. */
  async create(fingerprint: string, at: number): Promise<SecurityDomainRecord> {
    await this.db.query("INSERT INTO security_domain (id, fingerprint, state, created_at) VALUES ($1, $2, 'provisioned', $3) ON CONFLICT (id) DO NOTHING", [
      ROW_ID,
      fingerprint,
      at,
    ]);
    return (await this.read()) ?? missingRow();
  }

  /** A provisioned domain whose key file was lost before anything was encrypted under it takes a new key. */
  async replaceProvisionedKey(from: string, to: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      "UPDATE security_domain SET fingerprint = $3 WHERE id = $1 AND state = 'provisioned' AND fingerprint = $2 RETURNING id",
      [ROW_ID, from, to],
    );
    return rows.length === 1;
  }

  /** Whether anything is stored encrypted under the domain key (Key Vault keys, KMS material and import tokens). */
  async holdsSealedMaterial(): Promise<boolean> {
    const { rows } = await this.db.query<{ sealed: boolean }>(
      `SELECT (EXISTS (SELECT 1 FROM key_versions) OR EXISTS (SELECT 1 FROM kms_keys WHERE material IS NOT NULL)
               OR EXISTS (SELECT 1 FROM kms_import_tokens)) AS sealed`,
    );
    return rows[0]?.sealed === true;
  }

  /** Take the download lease; false while another download (of any process) holds it. */
  claimDownload(owner: string): Promise<boolean> {
    return this.leases.claim(this.db, ROW_ID, owner, ["provisioned", "active"], false);
  }

  releaseDownload(owner: string): Promise<void> {
    return this.leases.release(this.db, ROW_ID, owner);
  }

  /**
   * PGlite's database belongs to this process alone: a lease found at start was left by a process that
   * is gone. (On PostgreSQL another live process may hold it; its lease lapses on its own.)
   */
  async dropLeasesOfDeadProcesses(): Promise<void> {
    if (this.db.dialect === "pglite") await this.db.query("UPDATE security_domain SET lease_owner = NULL, lease_until = NULL WHERE id = $1", [ROW_ID]);
  }

  /** The new custodian set, file and activation in one transaction, by the holder of the lease, which it gives up. */
  async recordDownload(owner: string, w: DownloadWrite): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.leases.hold(tx, ROW_ID, owner);
      const { rows } = await tx.query<{ id: string }>(
        `UPDATE security_domain
            SET state = 'active', activated_at = COALESCE(activated_at, $3), downloaded_at = $3, required = $4,
                custodians = $5::jsonb, file = $6, lease_owner = NULL, lease_until = NULL
          WHERE id = $1 AND fingerprint = $2 RETURNING id`,
        [ROW_ID, w.fingerprint, w.at, w.required, JSON.stringify(w.custodians), w.file],
      );
      if (rows.length !== 1) throw new Error("the security-domain row changed its domain during a download");
    });
  }

  async recordUpload(u: UploadRecord): Promise<void> {
    await this.db.query("UPDATE security_domain SET upload_status = $2, upload_details = $3, upload_at = $4 WHERE id = $1", [ROW_ID, u.status, u.details, u.at]);
  }
}

function missingRow(): never {
  throw new Error("the security-domain row is missing right after it was written");
}
