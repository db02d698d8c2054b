import type { TokenKey } from "@keyward/shared";
import { isPkcs11Error } from "../pkcs11/errors.js";
import type { Session } from "../pkcs11/token.js";
import { describeKey, findTarget } from "./objects.js";

const CKR_KEY_HANDLE_INVALID = 0x60;
const CKR_OBJECT_HANDLE_INVALID = 0x82;

export interface KnownKey {
  handle: Buffer;
  info: TokenKey;
}

/**
 * Label → key object, remembered for the life of the process. On file-backed tokens every attribute
 * read costs ~100 µs, and what is remembered cannot change: type, size, id and public part are fixed,
 * and CKA_EXTRACTABLE can only ever go from true to false — which the HSM itself enforces at wrap time.
 * A stale handle (the key was deleted by another tool) is forgotten and looked up once more.
 */
export class KeyDirectory {
  private readonly byLabel = new Map<string, KnownKey>();

  async use<T>(s: Session, label: string, fn: (key: KnownKey) => Promise<T>): Promise<T> {
    const cached = this.byLabel.get(label);
    try {
      return await fn(cached ?? this.lookup(s, label));
    } catch (err) {
      if (cached && isPkcs11Error(err) && (err.code === CKR_OBJECT_HANDLE_INVALID || err.code === CKR_KEY_HANDLE_INVALID)) {
        this.byLabel.delete(label);
        return fn(this.lookup(s, label));
      }
      throw err;
    }
  }

  private lookup(s: Session, label: string): KnownKey {
    const handle = findTarget(s, label);
    const known = { handle, info: describeKey(s, handle) };
    this.byLabel.set(label, known);
    return known;
  }
}
