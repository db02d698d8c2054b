import { randomBytes } from "node:crypto";
import { badParameter } from "./errors";

/** Managed HSM's `POST /rng` returns 1 to 128 bytes. */
export const RNG_MAX_BYTES = 128;

export function rng(count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 1 || count > RNG_MAX_BYTES) {
    throw badParameter("RngCount", `count must be an integer from 1 to ${RNG_MAX_BYTES}; got ${String(count)}`);
  }
  return randomBytes(count);
}
