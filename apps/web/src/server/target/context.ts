import type { Logger } from "pino";
import type { Authenticator } from "../auth/bearer";
import type { Principal } from "../auth/principal";
import type { DomainKey } from "../domain-key";
import type { Authorizer } from "../rbac/authorize";
import type { RbacDeps } from "../rbac/routes";
import type { SecurityDomainService } from "../security-domain";
import type { KeyStore } from "../store";
import type { Naming } from "./bundle";
import type { AttestationVerifier } from "./attestation";
import type { KeyRecordCache } from "./key-cache";
import type { ReleaseSigner } from "./release-signer";
import type { MaterialCache } from "./material";
import type { RouteMatch } from "./routes";

/** Everything a request handler of the local target may use. */
export interface TargetContext {
  store: KeyStore;
  authenticator: Authenticator;
  authorizer: Authorizer;
  rbac: RbacDeps;
  materials: MaterialCache;
  /** Key records for cryptographic operations (see KeyRecordCache). */
  keyRecords: KeyRecordCache;
  /** The domain key as it is at each use: absent (and refusing) while the security domain awaits restore. */
  domainKey: DomainKey;
  /** Activation, exchange key and restore, and the gate every key operation passes first. */
  securityDomain: SecurityDomainService;
  /** Secure key release: trusted attestation authorities and the key that signs release responses. */
  release: { verifier: AttestationVerifier; signer: ReleaseSigner };
  log: Logger;
  /** Unix seconds; tests freeze it. */
  now: () => number;
}

export interface TargetRequest {
  route: RouteMatch;
  url: URL;
  body: Buffer;
  naming: Naming;
  principal: Principal;
}

export interface TargetResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type TargetHandler = (ctx: TargetContext, req: TargetRequest) => Promise<TargetResponse>;
