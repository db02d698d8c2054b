import { describe, expect, it } from "vitest";
import rfc3394 from "../test/vectors/rfc3394.json";
import rfc5649 from "../test/vectors/rfc5649.json";
import { aesUnwrap, aesWrap, unwrapInputProblem, wrapInputProblem } from "./aes-kw";

const hex = (s: string) => Buffer.from(s, "hex");

describe("AES key wrap (RFC 3394) known answers", () => {
  it.each(rfc3394.vectors)("§$section", ({ kek, key, wrapped }) => {
    expect(aesWrap("kw", hex(kek), hex(key)).toString("hex")).toBe(wrapped.toLowerCase());
    expect(aesUnwrap("kw", hex(kek), hex(wrapped))?.toString("hex")).toBe(key.toLowerCase());
  });
});

describe("AES key wrap with padding (RFC 5649) known answers", () => {
  it.each(rfc5649.vectors)("§$section", ({ kek, key, wrapped }) => {
    expect(aesWrap("kwp", hex(kek), hex(key)).toString("hex")).toBe(wrapped);
    expect(aesUnwrap("kwp", hex(kek), hex(wrapped))?.toString("hex")).toBe(key);
  });
});

describe("integrity", () => {
  const vector = rfc5649.vectors[0]!;
  it("returns undefined for an altered ciphertext or another KEK", () => {
    const altered = hex(vector.wrapped);
    altered[5]! ^= 1;
    expect(aesUnwrap("kwp", hex(vector.kek), altered)).toBeUndefined();
    const otherKek = hex(vector.kek);
    otherKek[0]! ^= 1;
    expect(aesUnwrap("kwp", otherKek, hex(vector.wrapped))).toBeUndefined();
  });

  it("does not take a KW ciphertext as KWP or the reverse", () => {
    const kw = rfc3394.vectors[0]!;
    expect(aesUnwrap("kwp", hex(kw.kek), hex(kw.wrapped))).toBeUndefined();
    expect(aesUnwrap("kw", hex(vector.kek), hex(vector.wrapped))).toBeUndefined();
  });
});

describe("input lengths", () => {
  it("KW wraps multiples of 8 from 16 bytes; KWP anything from 1 byte", () => {
    expect(wrapInputProblem("kw", 16)).toBeUndefined();
    expect(wrapInputProblem("kw", 8)).toMatch(/at least 16/);
    expect(wrapInputProblem("kw", 20)).toMatch(/multiple of 8/);
    expect(wrapInputProblem("kwp", 1)).toBeUndefined();
    expect(wrapInputProblem("kwp", 0)).toMatch(/at least 1/);
  });

  it("unwraps multiples of 8 from 24 (KW) or 16 (KWP) bytes", () => {
    expect(unwrapInputProblem("kw", 24)).toBeUndefined();
    expect(unwrapInputProblem("kw", 16)).toMatch(/at least 24/);
    expect(unwrapInputProblem("kwp", 16)).toBeUndefined();
    expect(unwrapInputProblem("kwp", 20)).toMatch(/multiple of 8/);
  });
});
