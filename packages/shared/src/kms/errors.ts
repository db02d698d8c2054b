import { z } from "zod";

/**
 * The KMS endpoint's error codes (Alibaba Cloud KMS's own, from its public error-code tables) and
 * their HTTP statuses: the one table the endpoint maps errors through. Scripts written against the
 * cloud service branch on these codes, so they are the provider's, not Keyward's.
 */
export const KMS_ERROR_STATUS = {
  // Request and signature (the RPC gateway's codes).
  MissingParameter: 400,
  InvalidParameter: 400,
  IncompleteSignature: 400,
  SignatureDoesNotMatch: 400,
  SignatureNonceUsed: 400,
  IllegalTimestamp: 400,
  "InvalidTimeStamp.Expired": 400,
  "InvalidAccessKeyId.NotFound": 404,
  "InvalidAction.NotFound": 404,
  UnsupportedHTTPMethod: 403,
  // Keys, aliases and import.
  "Forbidden.KeyNotFound": 404,
  "Forbidden.AliasNotFound": 404,
  AliasAlreadyExists: 400,
  "Rejected.LimitExceeded": 400,
  "Rejected.UnsupportedOperation": 400,
  "Unsupported.Origin": 400,
  InvalidKeyMaterial: 400,
  InvalidImportToken: 400,
  ExpiredImportToken: 400,
  // Key state (the cloud's "impact of key states" table).
  "Rejected.Disabled": 409,
  "Rejected.PendingDeletion": 409,
  "Rejected.PendingImport": 409,
  InternalFailure: 500,
} as const;
export type KmsErrorCode = keyof typeof KMS_ERROR_STATUS;
export const KMS_ERROR_CODES = Object.keys(KMS_ERROR_STATUS) as KmsErrorCode[];

/** The error body as the cloud sends it (JSON format). */
export const KmsErrorBodySchema = z.object({
  RequestId: z.string(),
  HostId: z.string(),
  Code: z.string(),
  Message: z.string(),
});
export type KmsErrorBody = z.infer<typeof KmsErrorBodySchema>;

/** A refusal of the KMS endpoint: a code from the closed set and a message for people. */
export class KmsError extends Error {
  readonly code: KmsErrorCode;
  constructor(code: KmsErrorCode, message: string) {
    super(message);
    this.name = "KmsError";
    this.code = code;
  }
  get status(): number {
    return KMS_ERROR_STATUS[this.code];
  }
  toBody(requestId: string, hostId: string): KmsErrorBody {
    return { RequestId: requestId, HostId: hostId, Code: this.code, Message: this.message };
  }
}

// The cloud's own wording for the two parameter errors, so scripts that match on it keep working.
export function missingParameter(name: string): KmsError {
  return new KmsError("MissingParameter", `The parameter "${name}" is needed but not provided.`);
}

export function invalidParameter(name: string, why?: string): KmsError {
  return new KmsError("InvalidParameter", `The specified parameter "${name}" is not valid.${why ? ` ${why}` : ""}`);
}
