/** JWK fields are base64url without padding (RFC 7515 §2). */
export function fromBase64url(text: string): Buffer {
  return Buffer.from(text, "base64url");
}

export function toBase64url(bytes: Uint8Array): string {
  return asBuffer(bytes).toString("base64url");
}

/** A Buffer view over the same memory, for Node APIs and helpers that want one. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${asBuffer(bytes).toString("hex")}`);
}

/** Big-endian, left-padded to `length` bytes; the value must fit. */
export function bigIntToBytes(value: bigint, length: number): Buffer {
  const hex = value.toString(16);
  if (hex.length > length * 2) throw new RangeError(`value does not fit in ${length} bytes`);
  return Buffer.from(hex.padStart(length * 2, "0"), "hex");
}

/** Overwrites secret bytes we own once they are no longer needed (best effort: GC may have copied them). */
export function wipe(...buffers: Uint8Array[]): void {
  for (const b of buffers) b.fill(0);
}
