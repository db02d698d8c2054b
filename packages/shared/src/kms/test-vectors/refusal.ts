import { KmsError } from "../errors.js";

/** What a call was refused with: the KmsError's code and message, or "accepted". */
export function kmsRefusal(fn: () => unknown): { code: string; message: string } | "accepted" {
  try {
    fn();
  } catch (err) {
    if (err instanceof KmsError) return { code: err.code, message: err.message };
    throw err;
  }
  return "accepted";
}
