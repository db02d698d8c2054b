import { describe, expect, it } from "vitest";
import { decodeEmePkcs1 } from "./eme-pkcs1";

/** 00 02 PS 00 M in a 32-byte block. */
function block(psLength: number, message: number[], header = [0x00, 0x02]): Uint8Array {
  return Uint8Array.from([...header, ...Array<number>(psLength).fill(0xa5), 0x00, ...message]);
}

describe("EME-PKCS1-v1_5 decoding", () => {
  it("returns the message after the first zero", () => {
    expect(Buffer.from(decodeEmePkcs1(block(8, [1, 2, 3]))!)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(decodeEmePkcs1(block(20, [0, 7]))!)).toEqual(Buffer.from([0, 7]));
  });

  it("accepts an empty message", () => {
    expect(decodeEmePkcs1(block(10, []))?.length).toBe(0);
  });

  it("refuses a padding string shorter than 8 bytes", () => {
    expect(decodeEmePkcs1(block(7, [1, 2, 3]))).toBeUndefined();
  });

  it("refuses a wrong first or second byte", () => {
    expect(decodeEmePkcs1(block(8, [1], [0x01, 0x02]))).toBeUndefined();
    expect(decodeEmePkcs1(block(8, [1], [0x00, 0x01]))).toBeUndefined();
  });

  it("refuses a block with no zero separator", () => {
    expect(decodeEmePkcs1(Uint8Array.from([0x00, 0x02, ...Array<number>(30).fill(0x11)]))).toBeUndefined();
  });
});
