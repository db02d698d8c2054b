import { z } from "zod";
import type { KeyFamily } from "./spec.js";

/** The JWK `key_ops` vocabulary Key Vault and Managed HSM accept. */
export const KEY_OPS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"] as const;
export type KeyOp = (typeof KEY_OPS)[number];

/** A key-encryption key may only receive imported material: `import` excludes every other operation. */
export const KEK_KEY_OPS = ["import"] as const satisfies readonly KeyOp[];

/** What Keyward asks for when the user does not choose; mirrors what each family can do with its own material. */
export const DEFAULT_KEY_OPS = {
  RSA: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
  EC: ["sign", "verify"],
  oct: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
} as const satisfies Record<KeyFamily, readonly KeyOp[]>;

/**
 * Every operation a family can carry. EC has no encryption scheme and oct has no signature
 * scheme here; `import` is RSA-only because a KEK is always RSA-HSM. `export` is allowed on all
 * families because any HSM key can be made exportable for secure key release.
 */
export const ALLOWED_KEY_OPS = {
  RSA: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"],
  EC: ["sign", "verify", "export"],
  oct: ["encrypt", "decrypt", "wrapKey", "unwrapKey", "export"],
} as const satisfies Record<KeyFamily, readonly KeyOp[]>;

export type KeyOpsProblemCode = "KEY_OPS_EMPTY" | "KEY_OPS_DUPLICATE" | "KEY_OPS_IMPORT_EXCLUSIVE" | "KEY_OPS_FAMILY";
export interface KeyOpsProblem {
  code: KeyOpsProblemCode;
  message: string;
}

export function isKekOps(ops: readonly string[]): boolean {
  return ops.length === 1 && ops[0] === "import";
}

export function isKeyOp(value: unknown): value is KeyOp {
  return (KEY_OPS as readonly unknown[]).includes(value);
}

export function keyOpAllowedFor(family: KeyFamily, op: KeyOp): boolean {
  return (ALLOWED_KEY_OPS[family] as readonly KeyOp[]).includes(op);
}

const quoted = (ops: readonly string[]) => ops.map((op) => `'${op}'`).join(", ");

/** Every problem with a key_ops list; `family` adds the per-family check. Empty result = acceptable. */
export function keyOpsProblems(ops: readonly KeyOp[], family?: KeyFamily): KeyOpsProblem[] {
  const problems: KeyOpsProblem[] = [];
  // An empty list would create a key nobody can use; omitting key_ops is how to ask for defaults.
  if (ops.length === 0) {
    problems.push({ code: "KEY_OPS_EMPTY", message: "key_ops is empty; list at least one operation or omit key_ops to use the defaults" });
  }
  const seen = new Set<KeyOp>();
  for (const op of ops) {
    if (seen.has(op)) problems.push({ code: "KEY_OPS_DUPLICATE", message: `key_ops lists '${op}' more than once` });
    seen.add(op);
  }
  const others = [...seen].filter((op) => op !== "import");
  if (seen.has("import") && others.length > 0) {
    problems.push({
      code: "KEY_OPS_IMPORT_EXCLUSIVE",
      message: `'import' must be the only key operation of a key-encryption key; remove ${quoted(others)}`,
    });
  }
  if (family !== undefined) {
    const refused = [...seen].filter((op) => !keyOpAllowedFor(family, op));
    if (refused.length > 0) {
      problems.push({
        code: "KEY_OPS_FAMILY",
        message: `${family} keys cannot ${quoted(refused)}; allowed: ${quoted(ALLOWED_KEY_OPS[family])}`,
      });
    }
  }
  return problems;
}

export const KeyOpSchema = z.enum(KEY_OPS, {
  error: (i) => `key operation ${JSON.stringify(i.input)} is not known; use ${KEY_OPS.join(", ")}`,
});

function keyOpsList(family?: KeyFamily) {
  return z
    .array(KeyOpSchema, { error: "key_ops must be a list of key operations" })
    .superRefine((ops, ctx) => {
      for (const { code, message } of keyOpsProblems(ops, family)) ctx.addIssue({ code: "custom", message, params: { code } });
    });
}

/** A key_ops list on its own: known values, no duplicates, `import` alone. */
export const KeyOpsSchema = keyOpsList();

/** The same rules plus what the family can do (EC cannot encrypt, oct cannot sign). */
export function keyOpsSchemaFor(family: KeyFamily) {
  return keyOpsList(family);
}
