import pkcs11js from "pkcs11js";
import { CKR_PIN_INCORRECT, CKR_PIN_LOCKED, CKR_USER_ALREADY_LOGGED_IN, isPkcs11Error } from "./errors.js";

const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
const SESSION_FLAGS = pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION;

export interface TokenConfig {
  module: string;
  /** Tokens are chosen by label, never by slot index: slot numbering changes between reboots. */
  label: string;
  pin: string;
}

export const STARTUP_ERROR_CODES = ["MODULE_LOAD_FAILED", "TOKEN_NOT_FOUND", "TOKEN_AMBIGUOUS", "PIN_INCORRECT", "PIN_LOCKED", "HSM_ERROR"] as const;
export type StartupErrorCode = (typeof STARTUP_ERROR_CODES)[number];

/** A failure to reach a usable, logged-in token. The bridge exits on these; it never retries a PIN. */
export class StartupError extends Error {
  readonly code: StartupErrorCode;
  constructor(code: StartupErrorCode, message: string) {
    super(message);
    this.name = "StartupError";
    this.code = code;
  }
}

export interface Session {
  p11: pkcs11js.PKCS11;
  handle: Buffer;
  slot: Buffer;
}

const trim = (s: string) => s.replace(/\0/g, "").trim();

/** One loaded PKCS#11 module, one token, logged in once for the life of the process. */
export class Token {
  private closed = false;
  private readonly open = new Set<Buffer>();

  readonly p11: pkcs11js.PKCS11;
  readonly slot: Buffer;
  readonly label: string;
  private readonly loginSession: Buffer;

  private constructor(p11: pkcs11js.PKCS11, slot: Buffer, loginSession: Buffer, label: string) {
    this.p11 = p11;
    this.slot = slot;
    this.loginSession = loginSession;
    this.label = label;
  }

  static open(config: TokenConfig): Token {
    const p11 = new pkcs11js.PKCS11();
    try {
      p11.load(config.module);
    } catch {
      throw new StartupError("MODULE_LOAD_FAILED", `cannot load the PKCS#11 module ${config.module}`);
    }
    try {
      p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (err) {
      if (!(isPkcs11Error(err) && err.code === CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
        throw new StartupError("HSM_ERROR", `the PKCS#11 module failed to initialise (${describe(err)})`);
      }
    }
    try {
      const slot = findSlot(p11, config.label);
      const session = p11.C_OpenSession(slot, SESSION_FLAGS);
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, config.pin);
      } catch (err) {
        if (isPkcs11Error(err) && err.code === CKR_USER_ALREADY_LOGGED_IN) return new Token(p11, slot, session, config.label);
        p11.C_CloseSession(session);
        if (isPkcs11Error(err) && err.code === CKR_PIN_INCORRECT) {
          throw new StartupError("PIN_INCORRECT", `the PIN for token "${config.label}" is incorrect; not retrying (the token may lock or wipe itself)`);
        }
        if (isPkcs11Error(err) && err.code === CKR_PIN_LOCKED) {
          throw new StartupError("PIN_LOCKED", `the PIN for token "${config.label}" is locked; a security officer must unlock it`);
        }
        throw new StartupError("HSM_ERROR", `login to token "${config.label}" failed (${describe(err)})`);
      }
      return new Token(p11, slot, session, config.label);
    } catch (err) {
      safeFinalize(p11);
      throw err;
    }
  }

  /** Run `fn` in a fresh session that is always closed, whatever `fn` does. */
  async withSession<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error("token closed");
    const handle = this.p11.C_OpenSession(this.slot, SESSION_FLAGS);
    this.open.add(handle);
    try {
      return await fn({ p11: this.p11, handle, slot: this.slot });
    } finally {
      this.open.delete(handle);
      try {
        this.p11.C_CloseSession(handle);
      } catch {
        // The session may already be gone with the device; nothing else to release.
      }
    }
  }

  tokenInfo(): pkcs11js.TokenInfo {
    return this.p11.C_GetTokenInfo(this.slot);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.p11.C_Logout(this.loginSession);
    } catch {
      // Already logged out or device gone.
    }
    try {
      this.p11.C_CloseAllSessions(this.slot);
    } catch {
      // Device gone.
    }
    safeFinalize(this.p11);
  }
}

function findSlot(p11: pkcs11js.PKCS11, label: string): Buffer {
  const matches: Buffer[] = [];
  const seen: string[] = [];
  for (const slot of p11.C_GetSlotList(true)) {
    const tokenLabel = trim(p11.C_GetTokenInfo(slot).label);
    seen.push(tokenLabel);
    if (tokenLabel === label) matches.push(slot);
  }
  const [first, ...rest] = matches;
  if (!first) {
    const known = seen.length ? `tokens present: ${seen.map((s) => `"${s}"`).join(", ")}` : "no initialised token is present";
    throw new StartupError("TOKEN_NOT_FOUND", `no token labelled "${label}" (${known})`);
  }
  if (rest.length) throw new StartupError("TOKEN_AMBIGUOUS", `${matches.length} tokens are labelled "${label}"; labels must be unique`);
  return first;
}

function safeFinalize(p11: pkcs11js.PKCS11): void {
  try {
    p11.C_Finalize();
  } catch {
    // Finalising a module that failed to initialise is harmless.
  }
}

function describe(err: unknown): string {
  return isPkcs11Error(err) ? err.message : "unexpected error";
}

export { trim as trimPkcs11String };
