import pkcs11js from "pkcs11js";
import type { TokenKey } from "@keyward/shared";
import { isPkcs11Error } from "../pkcs11/errors.js";
import type { Session } from "../pkcs11/token.js";
import { describeKey, findObjects, findTarget } from "./objects.js";

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

  /**
   * Finds every label of a batch not known yet in one pass over the token's keys. A search by label
   * reads every object of a file-backed token (~100 µs each), so looking labels up one at a time costs
   * labels × objects: a 128-key batch on a token of 400 keys took 7 s before its first wrap. Labels
   * found exactly once are remembered; a missing or repeated label is left to `use`, which says why.
   */
  prefetch(s: Session, labels: readonly string[]): void {
    const wanted = new Set(labels.filter((label) => !this.byLabel.has(label)));
    if (wanted.size < 2) return;
    const found = new Map<string, Buffer[]>();
    for (const cls of [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_SECRET_KEY]) {
      for (const handle of findObjects(s, [{ type: pkcs11js.CKA_CLASS, value: cls }])) {
        const label = s.p11.C_GetAttributeValue(s.handle, handle, [{ type: pkcs11js.CKA_LABEL }])[0]?.value?.toString("utf8");
        if (label !== undefined && wanted.has(label)) found.set(label, [...(found.get(label) ?? []), handle]);
      }
    }
    // EC keys name their public key object by CKA_ID: index those in one pass too, only if needed.
    let publicById: Map<string, Buffer> | undefined;
    const publicKeyOf = (id: Buffer) => {
      if (!publicById) {
        publicById = new Map();
        for (const h of findObjects(s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }])) {
          const key = (s.p11.C_GetAttributeValue(s.handle, h, [{ type: pkcs11js.CKA_ID }])[0]?.value ?? Buffer.alloc(0)).toString("hex");
          // The first found wins, as in a search by CKA_ID.
          if (!publicById.has(key)) publicById.set(key, h);
        }
      }
      return publicById.get(id.toString("hex"));
    };
    for (const [label, [handle, ...more]] of found) {
      if (handle && more.length === 0) this.byLabel.set(label, { handle, info: describeKey(s, handle, publicKeyOf) });
    }
  }

  private lookup(s: Session, label: string): KnownKey {
    const handle = findTarget(s, label);
    const known = { handle, info: describeKey(s, handle) };
    this.byLabel.set(label, known);
    return known;
  }
}
