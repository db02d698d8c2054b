import pkcs11js from "pkcs11js";
import { DomainKeyError } from "./errors";
import type { DomainKeySealer } from "./sealer";

/** RFC 5649 AES key wrap with padding, the PKCS#11 v2.40 id that SoftHSM 2.6 implements. */
const CKM_AES_KEY_WRAP_PAD = 0x210a;
const CKR_PIN_INCORRECT = 0xa0;
const CKR_PIN_LOCKED = 0xa4;
const CKR_USER_ALREADY_LOGGED_IN = 0x100;
const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

export interface Pkcs11SealerConfig {
  /** Path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  /** The token is chosen by label, never by slot index (slot numbers change between boots). */
  tokenLabel: string;
  pin: string;
  /** Label of the AES-256 wrapping key; generated in the token, non-extractable, on first seal. */
  wrappingKeyLabel: string;
}

/**
 * Seals the domain key with an AES-256 key that never leaves the token (CKM_AES_KEY_WRAP_PAD). The
 * token is opened only while sealing or unsealing, once per start, and always closed again.
 */
export function pkcs11Sealer(config: Pkcs11SealerConfig): DomainKeySealer {
  return {
    kind: "pkcs11",
    seal: (domainKey) =>
      withToken(config, async (p11, session) => {
        const wrappingKey = findWrappingKey(p11, session, config) ?? (await generateWrappingKey(p11, session, config.wrappingKeyLabel));
        const plain = p11.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
          { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
          { type: pkcs11js.CKA_TOKEN, value: false },
          { type: pkcs11js.CKA_SENSITIVE, value: false },
          { type: pkcs11js.CKA_EXTRACTABLE, value: true },
          { type: pkcs11js.CKA_VALUE, value: Buffer.from(domainKey) },
        ]);
        try {
          return await p11.C_WrapKeyAsync(session, { mechanism: CKM_AES_KEY_WRAP_PAD }, wrappingKey, plain, Buffer.alloc(128));
        } finally {
          p11.C_DestroyObject(session, plain);
        }
      }),
    unseal: (sealed) =>
      withToken(config, async (p11, session) => {
        const wrappingKey = findWrappingKey(p11, session, config);
        if (!wrappingKey) {
          throw new DomainKeyError(
            "HSM_WRAPPING_KEY",
            `token "${config.tokenLabel}" has no key labelled "${config.wrappingKeyLabel}"; the domain key cannot be unsealed without it`,
          );
        }
        let unwrapped: Buffer;
        try {
          unwrapped = await p11.C_UnwrapKeyAsync(session, { mechanism: CKM_AES_KEY_WRAP_PAD }, wrappingKey, Buffer.from(sealed), [
            { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
            { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
            { type: pkcs11js.CKA_TOKEN, value: false },
            { type: pkcs11js.CKA_SENSITIVE, value: false },
            { type: pkcs11js.CKA_EXTRACTABLE, value: true },
          ]);
        } catch (err) {
          if (!(err instanceof pkcs11js.Pkcs11Error)) throw err;
          throw new DomainKeyError("UNSEAL_FAILED", `the domain key could not be unwrapped with "${config.wrappingKeyLabel}" (${hex(err.code)})`);
        }
        try {
          const [attribute] = p11.C_GetAttributeValue(session, unwrapped, [{ type: pkcs11js.CKA_VALUE }]);
          const value = attribute?.value;
          if (!Buffer.isBuffer(value)) throw new DomainKeyError("UNSEAL_FAILED", "the token returned no domain key value");
          const copy = Buffer.from(value);
          value.fill(0);
          return copy;
        } finally {
          p11.C_DestroyObject(session, unwrapped);
        }
      }),
  };
}

type Run<T> = (p11: pkcs11js.PKCS11, session: Buffer) => Promise<T>;

async function withToken<T>(config: Pkcs11SealerConfig, fn: Run<T>): Promise<T> {
  const p11 = new pkcs11js.PKCS11();
  try {
    p11.load(config.module);
  } catch {
    throw new DomainKeyError("HSM_UNAVAILABLE", `cannot load the PKCS#11 module ${config.module}`);
  }
  // Another part of this process may already use the module; then it is theirs to finalise.
  let initialisedHere = true;
  try {
    p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (err) {
    if (!(err instanceof pkcs11js.Pkcs11Error && err.code === CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
      throw new DomainKeyError("HSM_UNAVAILABLE", `the PKCS#11 module failed to initialise (${describe(err)})`);
    }
    initialisedHere = false;
  }
  try {
    const session = p11.C_OpenSession(findSlot(p11, config.tokenLabel), pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
    try {
      const loggedInHere = login(p11, session, config);
      try {
        return await fn(p11, session);
      } finally {
        if (loggedInHere) ignore(() => p11.C_Logout(session));
      }
    } finally {
      ignore(() => p11.C_CloseSession(session));
    }
  } finally {
    if (initialisedHere) ignore(() => p11.C_Finalize());
  }
}

/** Returns whether this call logged in (and so should log out). A wrong PIN is never retried: tokens lock or wipe. */
function login(p11: pkcs11js.PKCS11, session: Buffer, config: Pkcs11SealerConfig): boolean {
  try {
    p11.C_Login(session, pkcs11js.CKU_USER, config.pin);
    return true;
  } catch (err) {
    if (err instanceof pkcs11js.Pkcs11Error) {
      if (err.code === CKR_USER_ALREADY_LOGGED_IN) return false;
      if (err.code === CKR_PIN_INCORRECT) {
        throw new DomainKeyError("HSM_PIN", `the PIN for token "${config.tokenLabel}" is incorrect; not retrying (the token may lock itself)`);
      }
      if (err.code === CKR_PIN_LOCKED) throw new DomainKeyError("HSM_PIN", `the PIN for token "${config.tokenLabel}" is locked`);
    }
    throw new DomainKeyError("HSM_UNAVAILABLE", `login to token "${config.tokenLabel}" failed (${describe(err)})`);
  }
}

function findSlot(p11: pkcs11js.PKCS11, label: string): Buffer {
  const matches = p11.C_GetSlotList(true).filter((slot) => p11.C_GetTokenInfo(slot).label.replace(/\0/g, "").trim() === label);
  const [slot, ...others] = matches;
  if (!slot) throw new DomainKeyError("HSM_UNAVAILABLE", `no token labelled "${label}"`);
  if (others.length > 0) throw new DomainKeyError("HSM_UNAVAILABLE", `${matches.length} tokens are labelled "${label}"; labels must be unique`);
  return slot;
}

function findWrappingKey(p11: pkcs11js.PKCS11, session: Buffer, config: Pkcs11SealerConfig): Buffer | null {
  p11.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_LABEL, value: config.wrappingKeyLabel },
  ]);
  let found: Buffer[];
  try {
    found = p11.C_FindObjects(session, 2);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
  const [key, other] = found;
  if (!key) return null;
  if (other) throw new DomainKeyError("HSM_WRAPPING_KEY", `token "${config.tokenLabel}" has several keys labelled "${config.wrappingKeyLabel}"`);
  // A wrapping key that could be exported would defeat the point of sealing in the HSM.
  const [type, extractable] = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_KEY_TYPE }, { type: pkcs11js.CKA_EXTRACTABLE }]);
  if (!isNumber(type?.value, pkcs11js.CKK_AES) || !isFalse(extractable?.value)) {
    throw new DomainKeyError("HSM_WRAPPING_KEY", `"${config.wrappingKeyLabel}" on token "${config.tokenLabel}" must be a non-extractable AES key`);
  }
  return key;
}

function generateWrappingKey(p11: pkcs11js.PKCS11, session: Buffer, label: string): Promise<Buffer> {
  return p11.C_GenerateKeyAsync(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_WRAP, value: true },
    { type: pkcs11js.CKA_UNWRAP, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_DECRYPT, value: false },
  ]);
}

// pkcs11js returns attribute values as raw bytes in host order.
function isNumber(value: unknown, expected: number): boolean {
  return Buffer.isBuffer(value) && value.length > 0 && value.readUIntLE(0, Math.min(value.length, 6)) === expected;
}

function isFalse(value: unknown): boolean {
  return Buffer.isBuffer(value) && value.length === 1 && value[0] === 0;
}

function ignore(fn: () => void): void {
  try {
    fn();
  } catch {
    // Closing down a session or module that is already gone: nothing left to release.
  }
}

function hex(code: number): string {
  return `CKR 0x${code.toString(16)}`;
}

function describe(err: unknown): string {
  return err instanceof pkcs11js.Pkcs11Error ? hex(err.code) : "unexpected error";
}
