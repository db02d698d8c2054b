import { z } from "zod";

/**
 * The local target's error codes (the `error.code` of Key Vault's error body) and their HTTP
 * statuses — the one table the server maps errors through. A finer reason goes in `inner`
 * (`error.innererror.code`), e.g. Conflict / ObjectIsDeletedButRecoverable, BadParameter / ByokWrongKek.
 */
export const TARGET_ERROR_STATUS = {
  BadParameter: 400,
  Unauthorized: 401,
  Forbidden: 403,
  KeyNotFound: 404,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PayloadTooLarge: 413,
  InternalError: 500,
  ServiceUnavailable: 503,
} as const;
export type TargetErrorCode = keyof typeof TARGET_ERROR_STATUS;
export const TARGET_ERROR_CODES = Object.keys(TARGET_ERROR_STATUS) as TargetErrorCode[];

export const KeyVaultErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    innererror: z.object({ code: z.string() }).optional(),
  }),
});
export type KeyVaultErrorBody = z.infer<typeof KeyVaultErrorBodySchema>;

/** An error the target reports to its caller, in words, with a code from the closed set. */
export class TargetError extends Error {
  readonly code: TargetErrorCode;
  readonly inner: string | undefined;
  constructor(code: TargetErrorCode, message: string, inner?: string) {
    super(message);
    this.name = "TargetError";
    this.code = code;
    this.inner = inner;
  }
  get status(): number {
    return TARGET_ERROR_STATUS[this.code];
  }
  toBody(): KeyVaultErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.inner ? { innererror: { code: this.inner } } : {}) } };
  }
}
