import { BridgeError, SecurityDomainError, type BridgeErrorCode, type SecurityDomainErrorCode } from "@keyward/shared";

/**
 * Refusals of the shared security-domain code, as bridge error codes. The shared messages name counts,
 * positions and share numbers, never share bytes, so they are passed on as they are. Codes not listed
 * are requests that cannot be carried out as given.
 */
const CODES: Partial<Record<SecurityDomainErrorCode, BridgeErrorCode>> = {
  SD_WRONG_DOMAIN: "WRONG_DOMAIN",
  SD_SHARES_INCONSISTENT: "WRONG_DOMAIN",
  SD_SHARE_MALFORMED: "SHARE_INVALID",
  SD_SHARE_LENGTH: "SHARE_INVALID",
  SD_JWE_INVALID: "SHARE_INVALID",
};

export function fromSecurityDomain(err: unknown, context?: string): unknown {
  if (!(err instanceof SecurityDomainError)) return err;
  return new BridgeError(CODES[err.code] ?? "INVALID_COMMAND", context ? `${context}: ${err.message}` : err.message);
}
