import { expect } from "vitest";
import { TargetError } from "@keyward/shared";
import type { CryptoErrorCode } from "../errors";

/** Asserts `fn` throws a 400 BadParameter with this inner code, and returns its message. */
export function expectBadParameter(fn: () => unknown, inner: CryptoErrorCode): string {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected a TargetError ${inner}`).toBeInstanceOf(TargetError);
  const error = thrown as TargetError;
  expect({ code: error.code, inner: error.inner, status: error.status }).toEqual({ code: "BadParameter", inner, status: 400 });
  return error.message;
}
