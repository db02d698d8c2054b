import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { BridgeError, signResult, type ResultBody } from "@keyward/shared";
import type { Bridge } from "../bridge.js";

/**
 * The air-gapped transport: a command file in, a signed result out. The file is checked against the frame
 * limit before it is loaded, so a huge file is refused (and only hashed, streaming).
 */
export async function executeFile(bridge: Bridge, path: string): Promise<{ jws: string; body: ResultBody }> {
  const { ctx } = bridge;
  const handle = await open(path, "r");
  let text: string;
  try {
    const { size } = await handle.stat();
    if (size > ctx.maxFrameBytes) {
      const hash = createHash("sha256");
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      const body: ResultBody = { ok: false, type: null, error: new BridgeError("FRAME_TOO_LARGE", `the command file is ${size} bytes; the limit is ${ctx.maxFrameBytes}`).toBody() };
      const jws = await signResult(body, ctx.identity.signer, { cmdJti: null, cmdSha256: hash.digest("base64url"), audience: ctx.portal.issuer });
      return { jws, body };
    }
    text = (await handle.readFile("utf8")).trim();
  } finally {
    await handle.close();
  }
  return bridge.execute(text);
}
