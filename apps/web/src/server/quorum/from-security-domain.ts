import type { SecurityDomainStatus } from "../security-domain";
import type { CustodianSetView } from "./service";

/**
 * The custodian set as the target's security-domain service reports it. Null until a download has
 * chosen custodians: a provisioned target has nobody to record.
 */
export function custodianSetOf(status: SecurityDomainStatus): CustodianSetView | null {
  if (status.required === null || status.custodians.length === 0) return null;
  return {
    fingerprint: status.fingerprint,
    state: status.state,
    required: status.required,
    activatedAt: status.activatedAt,
    custodians: status.custodians.map((c) => ({ thumbprintSha256: c.thumbprintSha256, commonName: c.subject, notAfter: c.notAfter, shareNumber: c.shareNumber })),
  };
}
