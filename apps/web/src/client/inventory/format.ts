import { familyOf, type EcCurve, type KeyType } from "@keyward/shared";

export const DAY_SECONDS = 86_400;

/** A unix time as the reader's locale writes it; the exact UTC instant goes in `title`. */
export function formatTime(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(seconds * 1000));
}

export function formatDate(seconds: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(seconds * 1000));
}

export function isoUtc(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined) return undefined;
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** "RSA-HSM 3072", "EC-HSM P-384", "oct-HSM" (Key Vault does not report the size of an AES key). */
export function keyTypeLabel(key: { kty: KeyType; size?: number | null | undefined; crv?: EcCurve | null | undefined }): string {
  const detail = familyOf(key.kty) === "EC" ? key.crv : key.size;
  return detail ? `${key.kty} ${detail}` : key.kty;
}

/** RSA modulus bits from its base64url `n`. */
export const modulusBits = (n: string) => Math.floor((n.length * 6) / 8) * 8;

/** Whole days from `now` until `seconds`, negative when past. */
export const daysFrom = (now: number, seconds: number) => Math.floor((seconds - now) / DAY_SECONDS);

/** For <input type="datetime-local">, which speaks the browser's local time to the minute. */
export function toLocalInput(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "";
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The version id at the end of a kid. */
export const versionOf = (kid: string) => kid.split("/").pop() ?? "";
