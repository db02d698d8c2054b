import { z } from "zod";
import { BridgeErrorCodeSchema } from "./errors.js";

/** WebSocket frames, a discriminated union on `type` in each direction. */
export const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), protocol: z.number().int(), client: z.string().max(200).optional() }),
  z.object({ type: z.literal("command"), ref: z.string().min(1).max(128), jws: z.string().min(1) }),
  /** Ask again for the result of a command sent on a connection that dropped (resending it is a replay). */
  z.object({ type: z.literal("fetch"), ref: z.string().min(1).max(128), jti: z.string().min(16).max(128) }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("welcome"), protocol: z.number().int(), bridgeId: z.string(), thumbprint: z.string() }),
  z.object({ type: z.literal("incompatible"), protocol: z.number().int(), message: z.string() }),
  z.object({ type: z.literal("result"), ref: z.string(), jws: z.string() }),
  z.object({ type: z.literal("error"), ref: z.string().nullable(), code: BridgeErrorCodeSchema, message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
