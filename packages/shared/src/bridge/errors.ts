import { z } from "zod";

/**
 * The closed set of error codes a bridge returns. Verification failures carry fixed messages that say
 * nothing about which check failed beyond the code; domain refusals say exactly what is wrong.
 */
export const BRIDGE_ERROR_CODES = [
  "MALFORMED_FRAME",
  "FRAME_TOO_LARGE",
  "PROTOCOL_INCOMPATIBLE",
  "HELLO_REQUIRED",
  "MALFORMED_COMMAND",
  "BAD_SIGNATURE",
  "UNKNOWN_SIGNER",
  "WRONG_AUDIENCE",
  "WRONG_ISSUER",
  "EXPIRED",
  "NOT_YET_VALID",
  "LIFETIME_TOO_LONG",
  "REPLAYED",
  "UNKNOWN_COMMAND",
  "INVALID_COMMAND",
  "UNSUPPORTED_KEY",
  "INVALID_KEK",
  "UNKNOWN_TARGET",
  "TARGET_NOT_EXTRACTABLE",
  "LABEL_EXISTS",
  "MECHANISM_UNSUPPORTED",
  "HSM_ERROR",
  "SHARE_INVALID",
  "WRONG_DOMAIN",
  "SHUTTING_DOWN",
  "RESULT_PENDING",
  "RESULT_UNAVAILABLE",
  "INTERNAL",
] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];
export const BridgeErrorCodeSchema = z.enum(BRIDGE_ERROR_CODES);

export const BridgeErrorSchema = z.object({ code: BridgeErrorCodeSchema, message: z.string() }).strict();
export type BridgeErrorBody = z.infer<typeof BridgeErrorSchema>;

/** Fixed messages for verification failures (no detail an attacker could probe with). */
export const VERIFICATION_MESSAGES: Partial<Record<BridgeErrorCode, string>> = {
  MALFORMED_COMMAND: "the command is not a well-formed signed command",
  BAD_SIGNATURE: "the command signature is not valid",
  UNKNOWN_SIGNER: "the command is signed by a key this bridge does not trust",
  WRONG_AUDIENCE: "the command is addressed to another bridge",
  WRONG_ISSUER: "the command was issued by an unknown portal",
  EXPIRED: "the command has expired",
  NOT_YET_VALID: "the command is not valid yet",
  LIFETIME_TOO_LONG: "the command is valid for longer than this bridge allows",
  REPLAYED: "the command has already been received",
};

/** An error that crosses the wire: a code from the closed set and a message for people. */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  constructor(code: BridgeErrorCode, message?: string) {
    super(message ?? VERIFICATION_MESSAGES[code] ?? code);
    this.name = "BridgeError";
    this.code = code;
  }
  toBody(): BridgeErrorBody {
    return { code: this.code, message: this.message };
  }
}
