import type { IncomingMessage, ServerResponse } from "node:http";
import { DEPRECATED_WRAPPING_ALGORITHMS, KmsError, TargetError, WRAPPING_ALGORITHMS, type WrappingAlgorithm } from "@keyward/shared";
import type { Logger } from "pino";
import type { DomainKey } from "../domain-key";
import type { Db } from "../store";
import { formatKmsCredentials, loadOrCreateKmsAccessKey } from "./access-key";
import { createKmsHandler } from "./handler";
import { kmsSealing } from "./sealing";
import { createKmsService, type KmsService } from "./service";
import { RpcSignatureVerifier } from "./signature";

export interface KmsOptions {
  /** KEYWARD_KMS_ALLOW_PKCS1=1: hand out RSAES_PKCS1_V1_5 import parameters (deprecated). */
  allowPkcs1?: boolean;
  /** How often material past its expiry is deleted between requests (default every minute). */
  expiryIntervalMs?: number;
}

export interface KmsEndpointOptions extends KmsOptions {
  dataDir: string;
  /** The portal's HTTPS origin, printed with the AccessKey pair. */
  origin: string;
  db: Db;
  domainKey: DomainKey;
  /** The security domain's gate: throws (a TargetError) while key operations are refused. */
  gate?: () => Promise<void>;
  log: Logger;
  /** Unix seconds, the target's clock (tests move it for token and material expiry). */
  now: () => number;
}

export interface KmsEndpoint {
  service: KmsService;
  /** The wrapping algorithms GetParametersForImport hands out here (PKCS#1 v1.5 only when allowed). */
  accepts: readonly WrappingAlgorithm[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Printed once on the start that generated the AccessKey pair. */
  initialCredentials: string | undefined;
  /** Delete material past its expiry now; the ids of the keys it touched. */
  expireDue(): Promise<string[]>;
  close(): void;
}

/**
 * Every operation of the service passes the security domain's gate first — for RPC callers and for the
 * portal's KMS import jobs alike — except the expiry of material, which only deletes. The refusal is
 * the cloud's code for an operation the key's state does not allow, in the target's words.
 */
function gatedService(service: KmsService, gate: (() => Promise<void>) | undefined): KmsService {
  if (!gate) return service;
  const check = async () => {
    try {
      await gate();
    } catch (err) {
      throw err instanceof TargetError ? new KmsError("Rejected.UnsupportedOperation", err.message) : err;
    }
  };
  const gated: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(service) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    gated[name] =
      name === "expireDue"
        ? operation
        : async (...args: unknown[]) => {
            await check();
            return operation(...args);
          };
  }
  return gated as KmsService;
}

/** This instance's name in ARNs; the region a client configures does not matter to a local endpoint. */
const REGION = "keyward-local";

/**
 * The local KMS endpoint on the portal's origin and database. Material that expired while no
 * process ran is deleted here at start, then every minute, and on every use of its key.
 */
export async function openKmsEndpoint(o: KmsEndpointOptions): Promise<KmsEndpoint> {
  const access = await loadOrCreateKmsAccessKey(o.dataDir);
  const service = gatedService(createKmsService({ db: o.db, sealing: kmsSealing(o.domainKey), now: o.now, allowPkcs1: o.allowPkcs1 ?? false }), o.gate);
  const expireDue = async () => {
    const expired = await service.expireDue();
    if (expired.length) o.log.info({ event: "kms_material_expired", keys: expired }, `deleted the expired material of ${expired.length} KMS key(s)`);
    return expired;
  };
  await expireDue();
  const timer = setInterval(() => void expireDue().catch((err: unknown) => o.log.error({ err }, "KMS material expiry failed")), o.expiryIntervalMs ?? 60_000);
  timer.unref();
  return {
    service,
    accepts: WRAPPING_ALGORITHMS.filter((a) => o.allowPkcs1 === true || !DEPRECATED_WRAPPING_ALGORITHMS.includes(a)),
    handle: createKmsHandler({ service, region: REGION, accountId: access.accessKey.accountId, verifier: new RpcSignatureVerifier(access.accessKey), log: o.log }),
    initialCredentials: formatKmsCredentials(access, o.origin),
    expireDue,
    close: () => clearInterval(timer),
  };
}
