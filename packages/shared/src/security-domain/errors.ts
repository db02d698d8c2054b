/**
 * The closed set of refusals of the security-domain pieces. Messages name counts, positions and share
 * numbers, never share values, key bytes or the secret.
 */
export type SecurityDomainErrorCode =
  | "SD_SPLIT_PARAMETERS"
  | "SD_TOO_FEW_SHARES"
  | "SD_DUPLICATE_SHARE"
  | "SD_SHARE_LENGTH"
  | "SD_SHARE_MALFORMED"
  | "SD_SHARES_INCONSISTENT"
  | "SD_FILE_MALFORMED"
  | "SD_KDF_PARAMETERS"
  | "SD_REHEARSAL_PARAMETERS"
  | "SD_JWE_INVALID"
  | "SD_WRONG_DOMAIN"
  | "SD_RESTORE_BLOB_MALFORMED";

export class SecurityDomainError extends Error {
  readonly code: SecurityDomainErrorCode;
  constructor(code: SecurityDomainErrorCode, message: string) {
    super(message);
    this.name = "SecurityDomainError";
    this.code = code;
  }
}
