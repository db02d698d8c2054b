import { TargetError, type CustodianFinding, type CustodianRefusalCode, type CustodianWarningCode } from "@keyward/shared";

/**
 * The security domain's refusals, as the target reports them: Key Vault error codes from the closed
 * set, with the finer reason in `innererror.code`. The inner codes are Keyward's (Managed HSM's own
 * wording for these cases is not documented); the portal may branch on them.
 */
export const SD_INNER_CODES = {
  /** Key operations before the first download (a provisioned target). */
  notActivated: "SecurityDomainNotActivated",
  /** Key operations while the domain key file is missing (a wiped target). */
  restoreRequired: "SecurityDomainRestoreRequired",
  custodiansRefused: "SecurityDomainCustodiansRefused",
  downloadInProgress: "SecurityDomainDownloadInProgress",
  invalidRestoreBlob: "SecurityDomainInvalidRestoreBlob",
  /** A restore blob of another security domain than the one this target's keys are encrypted under. */
  wrongDomain: "SecurityDomainMismatch",
  noExchangeKey: "SecurityDomainNoExchangeKey",
} as const;

export function notActivated(): TargetError {
  return new TargetError(
    "Forbidden",
    "This target is not activated: its security domain has not been downloaded yet, and key operations are refused until an administrator downloads it (POST /securitydomain/download with 3 to 10 custodian certificates and a quorum).",
    SD_INNER_CODES.notActivated,
  );
}

export function restoreRequired(fingerprint: string): TargetError {
  return new TargetError(
    "Forbidden",
    `This target's keys are encrypted under the domain key of security domain ${fingerprint}, but its domain key file is missing: key operations are refused until the security domain is restored (a recovery ceremony, or GET /securitydomain/upload for the exchange key, then POST /securitydomain/upload with a restore blob made from a quorum of custodian shares).`,
    SD_INNER_CODES.restoreRequired,
  );
}

/** Something the download could not use about a certificate, beside the custodian rules' own refusals. */
export type DownloadRefusalCode = CustodianRefusalCode | "CERTIFICATE_INVALID";
export type DownloadRefusal = CustodianFinding<DownloadRefusalCode>;
export type DownloadWarning = CustodianFinding<CustodianWarningCode>;

/** A download refused for its custodian set: every refusal, in order, and the warnings found alongside. */
export class CustodianSetRefusedError extends TargetError {
  readonly refusals: readonly DownloadRefusal[];
  readonly warnings: readonly DownloadWarning[];
  constructor(refusals: readonly DownloadRefusal[], warnings: readonly DownloadWarning[]) {
    super("BadParameter", `The security domain was not downloaded: ${refusals.map((r) => r.message).join("; ")}.`, SD_INNER_CODES.custodiansRefused);
    this.name = "CustodianSetRefusedError";
    this.refusals = refusals;
    this.warnings = warnings;
  }
}
