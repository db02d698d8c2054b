import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { fieldOfError, type FieldRule } from "./server-field";

const rules: FieldRule<"url" | "bridgeId">[] = [
  ["url", /^url:|\bURL\b/],
  ["bridgeId", /^bridgeId:|bridge id/i],
];

describe("fieldOfError", () => {
  it("places a schema refusal by its path and a worded refusal by its words", () => {
    expect(fieldOfError(new ApiError(400, "BadParameter", "url: the bridge URL must be a ws:// URL"), rules)).toBe("url");
    expect(fieldOfError(new ApiError(409, "Conflict", "a bridge with bridge id hsm-1 is already registered"), rules)).toBe("bridgeId");
  });
  it("prefers the inner code, even for an unavailable service", () => {
    expect(fieldOfError(new ApiError(503, "ServiceUnavailable", "the URL is not reachable", "BridgeOffline"), rules, { BridgeOffline: "bridgeId" })).toBe("bridgeId");
    expect(fieldOfError(new ApiError(400, "BadParameter", "the URL …", "Other"), rules, { BridgeOffline: "bridgeId" })).toBe("url");
  });
  it("leaves authorization, server failures, unknown words and non-API errors to the form", () => {
    expect(fieldOfError(new ApiError(403, "Forbidden", "url: nope"), rules, { Forbidden: "url" })).toBeUndefined();
    expect(fieldOfError(new ApiError(500, "InternalError", "URL"), rules)).toBeUndefined();
    expect(fieldOfError(new ApiError(400, "BadParameter", "something else"), rules)).toBeUndefined();
    expect(fieldOfError(new Error("url: x"), rules)).toBeUndefined();
  });
});
