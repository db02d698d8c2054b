import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/* Test support: the OpenSSL CLI as an independent implementation, in a throwaway directory. */

export interface Scratch {
  path(name: string): string;
  write(name: string, data: Uint8Array | string): string;
  read(name: string): Buffer;
  /** Runs `openssl args…` and returns stdout; throws with stderr on a non-zero exit. */
  openssl(...args: string[]): Buffer;
  /** Like openssl() but reports success instead of throwing (for -verify). */
  opensslOk(...args: string[]): boolean;
  remove(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), "keyward-crypto-"));
  const path = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  return {
    path,
    write(name, data) {
      writeFileSync(path(name), data);
      return path(name);
    },
    read: (name) => readFileSync(path(name)),
    openssl: (...args) => run(args),
    opensslOk(...args) {
      try {
        run(args);
        return true;
      } catch {
        return false;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** DER INTEGER body of an unsigned big-endian value (minimal, with a 00 when the top bit is set). */
function derInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let body = Buffer.from(bytes.subarray(i));
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  return length < 0x100 ? Buffer.from([0x81, length]) : Buffer.from([0x82, length >> 8, length & 0xff]);
}

/** ECDSA r || s → DER Ecdsa-Sig-Value, the form `openssl dgst -verify` reads. */
export function ecdsaRawToDer(signature: Uint8Array): Buffer {
  const half = signature.length / 2;
  const body = Buffer.concat([derInteger(signature.subarray(0, half)), derInteger(signature.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}
