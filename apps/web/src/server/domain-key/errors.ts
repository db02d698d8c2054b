export const DOMAIN_KEY_ERROR_CODES = [
  "KEY_FILE_MODE",
  "KEY_FILE_INVALID",
  "KEY_FILE_MISSING",
  "SEALER_MISMATCH",
  "FINGERPRINT_MISMATCH",
  "UNSEAL_FAILED",
  "HSM_UNAVAILABLE",
  "HSM_PIN",
  "HSM_WRAPPING_KEY",
] as const;
export type DomainKeyErrorCode = (typeof DOMAIN_KEY_ERROR_CODES)[number];

/** Why the instance could not obtain its domain key. The portal refuses to start on any of these. */
export class DomainKeyError extends Error {
  readonly code: DomainKeyErrorCode;
  constructor(code: DomainKeyErrorCode, message: string) {
    super(message);
    this.name = "DomainKeyError";
    this.code = code;
  }
}
