import pkcs11js from "pkcs11js";
import { BridgeError, type BridgeErrorCode } from "@keyward/shared";

/**
 * PKCS#11 return values we explain to people, by numeric code (never by message text). Anything not
 * listed is an HSM_ERROR that names the CKR_ value, so an HSM fault never looks like "key missing".
 */
const KNOWN: ReadonlyMap<number, { code: BridgeErrorCode; message: string }> = new Map([
  [0x6a, { code: "TARGET_NOT_EXTRACTABLE", message: "the HSM policy forbids exporting this key (CKR_KEY_UNEXTRACTABLE)" }],
  [0x69, { code: "TARGET_NOT_EXTRACTABLE", message: "the HSM cannot wrap this key (CKR_KEY_NOT_WRAPPABLE)" }],
  [0x70, { code: "MECHANISM_UNSUPPORTED", message: "the HSM does not support this mechanism (CKR_MECHANISM_INVALID)" }],
  [0x71, { code: "MECHANISM_UNSUPPORTED", message: "the HSM refused the mechanism parameters (CKR_MECHANISM_PARAM_INVALID)" }],
  [0x07, { code: "MECHANISM_UNSUPPORTED", message: "the HSM refused the arguments of the operation (CKR_ARGUMENTS_BAD)" }],
  [0x31, { code: "HSM_ERROR", message: "the HSM is no longer available (CKR_DEVICE_REMOVED)" }],
  [0x30, { code: "HSM_ERROR", message: "the HSM reported a device error (CKR_DEVICE_ERROR)" }],
  [0xe0, { code: "HSM_ERROR", message: "the HSM token is not present (CKR_TOKEN_NOT_PRESENT)" }],
  [0x101, { code: "HSM_ERROR", message: "the bridge is not logged in to the HSM (CKR_USER_NOT_LOGGED_IN)" }],
]);

export const CKR_PIN_INCORRECT = 0xa0;
export const CKR_PIN_LOCKED = 0xa4;
export const CKR_USER_ALREADY_LOGGED_IN = 0x100;

export function isPkcs11Error(err: unknown): err is pkcs11js.Pkcs11Error {
  return err instanceof pkcs11js.Pkcs11Error;
}

/** Turn anything thrown by the HSM layer into a BridgeError for the wire. */
export function fromPkcs11(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  if (isPkcs11Error(err)) {
    const known = KNOWN.get(err.code);
    if (known) return new BridgeError(known.code, known.message);
    return new BridgeError("HSM_ERROR", `the HSM refused the operation (${err.message || `CKR 0x${err.code.toString(16)}`})`);
  }
  return new BridgeError("INTERNAL", "internal bridge error");
}
