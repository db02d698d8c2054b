import { randomBytes } from "node:crypto";
import { badParameter } from "./store-errors";

const NAME = /^[0-9A-Za-z-]{1,127}$/;
const VERSION = /^[0-9a-f]{32}$/;

/** Key Vault object names: 1–127 of 0-9, a-z, A-Z and '-'. */
export function checkKeyName(name: string): void {
  if (!NAME.test(name)) {
    throw badParameter(
      "InvalidKeyName",
      `key name ${JSON.stringify(name.slice(0, 140))} is not valid; use 1 to 127 letters, digits and '-'`,
    );
  }
}

/** Lookups ignore case, as Key Vault's do. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

export function isVersionId(version: string): boolean {
  return VERSION.test(version);
}

export function checkVersionId(version: string): void {
  if (!isVersionId(version)) {
    throw badParameter("InvalidKeyVersion", `key version ${JSON.stringify(version.slice(0, 40))} is not 32 lower-case hex characters`);
  }
}

export function newVersionId(): string {
  return randomBytes(16).toString("hex");
}
