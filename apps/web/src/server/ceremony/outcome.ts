import { BridgeError, TargetError, type BridgeErrorCode } from "@keyward/shared";
import { BridgeConnectionError, BridgeIdentityError } from "../bridge/client";

/** Something passing stopped the ceremony (bridge unreachable, a refusal worth retrying): resumable. */
export class CeremonyInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CeremonyInterrupted";
  }
}

/** The ceremony as a whole cannot go on (the KEK is refused or unusable): final. */
export class CeremonyFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CeremonyFailed";
  }
}

/** Bridge refusals that concern one target key: that key fails, the others go on. */
export const TARGET_REFUSALS: ReadonlySet<BridgeErrorCode> = new Set([
  "LABEL_EXISTS",
  "UNKNOWN_TARGET",
  "TARGET_NOT_EXTRACTABLE",
  "UNSUPPORTED_KEY",
  "MECHANISM_UNSUPPORTED",
  "INVALID_COMMAND",
]);

/** A wrapBatch refusal names the target that failed: `target "label": …`. */
export function refusedLabel(message: string): string | undefined {
  return /^target "([^"]+)": /.exec(message)?.[1];
}

/** What a run that threw comes to, in words for the record; never a stack trace. */
export function outcomeOf(err: unknown): { state: "interrupted" | "failed"; message: string } {
  if (err instanceof CeremonyFailed) return { state: "failed", message: err.message };
  if (err instanceof CeremonyInterrupted) return { state: "interrupted", message: err.message };
  if (err instanceof BridgeIdentityError) return { state: "interrupted", message: `${err.message}; resume once the bridge presents its registered identity` };
  if (err instanceof BridgeConnectionError) return { state: "interrupted", message: `${err.message}; resume when the bridge is back` };
  if (err instanceof BridgeError) return { state: "interrupted", message: `the bridge refused: ${err.code}: ${err.message}` };
  if (err instanceof TargetError) return { state: err.code === "Forbidden" ? "failed" : "interrupted", message: err.message };
  return { state: "interrupted", message: "an internal error stopped the ceremony; resume it, or see the portal log" };
}
