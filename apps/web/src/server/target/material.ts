import { TargetError } from "@keyward/shared";
import { KeyMaterialSchema, type KeyMaterial } from "../crypto";
import type { KeyStore } from "../store";

/** Material is stored as the JSON of its private JWK, sealed by the store under the domain key. */
export function encodeMaterial(material: KeyMaterial): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(material));
}

export function decodeMaterial(bytes: Uint8Array): KeyMaterial {
  const parsed = KeyMaterialSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  if (!parsed.success) throw new TargetError("InternalError", "stored key material is not readable");
  return parsed.data;
}

/**
 * Decrypted material per key version, kept in memory: a version's material never changes, and
 * opening it (AES-GCM, JSON, key import) on every signature would cost more than the signature.
 * Attributes are still read from the store on every operation, so a disable from another process
 * takes effect at once. Purged keys leave the cache when they are purged.
 */
export class MaterialCache {
  private readonly entries = new Map<string, KeyMaterial>();
  private readonly max: number;

  constructor(max = 1024) {
    this.max = max;
  }

  async get(store: KeyStore, name: string, version: string): Promise<KeyMaterial> {
    const id = `${name.toLowerCase()}/${version}`;
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const { version: v } = await store.getKeyWithMaterial(name, version);
    const material = decodeMaterial(v.material);
    v.material.fill(0);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, material);
    return material;
  }

  forget(name: string): void {
    const prefix = `${name.toLowerCase()}/`;
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }
}
