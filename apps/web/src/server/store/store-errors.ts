import { TargetError } from "@keyward/shared";

// Wording follows what Key Vault answers, so scripts written against Azure read the same text.

export function keyNotFound(name: string, version?: string): TargetError {
  const id = version ? `${name}/${version}` : name;
  return new TargetError("KeyNotFound", `A key with (name/id) ${id} was not found in this key vault`);
}

export function deletedKeyNotFound(name: string): TargetError {
  return new TargetError("KeyNotFound", `Deleted Key not found: ${name}`);
}

export function deletedButRecoverable(name: string): TargetError {
  return new TargetError(
    "Conflict",
    `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`,
    "ObjectIsDeletedButRecoverable",
  );
}

export function keyAlreadyExists(name: string): TargetError {
  return new TargetError("Conflict", `Key ${name} already exists`, "KeyAlreadyExists");
}

export function badParameter(inner: string, message: string): TargetError {
  return new TargetError("BadParameter", message, inner);
}

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "23505";
}
