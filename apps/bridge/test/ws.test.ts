import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { BRIDGE_PROTOCOL_VERSION, ServerFrameSchema, type ServerFrame } from "@keyward/shared";
import { listen, type RunningServer } from "../src/transport/ws.js";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";

let t: TestBridge;
let server: RunningServer;

beforeAll(async () => {
  t = await startTestBridge({ maxFrameBytes: 4096 });
  server = await listen(t.bridge, { host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await server?.close(1000);
  t?.bridge.close();
});

/** A minimal client that collects frames and the close code. */
async function connect(url = server.url) {
  const ws = new WebSocket(url);
  const frames: ServerFrame[] = [];
  const waiters: (() => void)[] = [];
  let closed: { code: number } | null = null;
  ws.on("message", (data) => {
    frames.push(ServerFrameSchema.parse(JSON.parse(data.toString())));
    waiters.splice(0).forEach((w) => w());
  });
  ws.on("close", (code) => {
    closed = { code };
    waiters.splice(0).forEach((w) => w());
  });
  ws.on("error", () => undefined);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const until = async (pred: () => boolean) => {
    while (!pred()) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    ws,
    frames,
    send: (frame: unknown) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next: async (n = frames.length + 1) => {
      await until(() => frames.length >= n || closed !== null);
      return frames[n - 1];
    },
    closed: async () => {
      await until(() => closed !== null);
      return closed!;
    },
  };
}

describe("WebSocket transport", () => {
  it("greets with the protocol version and runs a signed command", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    expect(await c.next()).toMatchObject({ type: "welcome", protocol: BRIDGE_PROTOCOL_VERSION, bridgeId: "bridge-test", thumbprint: t.bridge.ctx.identity.thumbprint });
    const jws = await t.sign({ type: "key.generate", label: "ws-aes", key: { kty: "oct", size: 256 } });
    c.send({ type: "command", ref: "r1", jws });
    const f = await c.next();
    if (f?.type !== "result") throw new Error(JSON.stringify(f));
    expect(f.ref).toBe("r1");
    expect(await t.verify(f.jws, jws)).toMatchObject({ ok: true, type: "key.generate", result: { label: "ws-aes" } });
    c.ws.close();
  });

  it("answers several commands in flight, each under its own ref", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await c.next();
    const refs = ["a", "b", "c", "d"];
    for (const ref of refs) c.send({ type: "command", ref, jws: await t.sign({ type: "key.list" }) });
    await c.next(1 + refs.length);
    expect(c.frames.slice(1).map((f) => (f.type === "result" ? f.ref : f.type)).sort()).toEqual(refs);
    c.ws.close();
  });

  it("refuses an incompatible protocol and closes with 4000", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION + 1 });
    expect(await c.next()).toMatchObject({ type: "incompatible", protocol: BRIDGE_PROTOCOL_VERSION });
    expect((await c.closed()).code).toBe(4000);
  });

  it("requires hello before commands (close 4001)", async () => {
    const c = await connect();
    c.send({ type: "command", ref: "x", jws: await t.sign({ type: "key.list" }) });
    expect(await c.next()).toMatchObject({ type: "error", code: "HELLO_REQUIRED" });
    expect((await c.closed()).code).toBe(4001);
  });

  it("answers malformed JSON and unknown frames with MALFORMED_FRAME and stays open", async () => {
    const c = await connect();
    c.send("{oops");
    expect(await c.next()).toMatchObject({ type: "error", code: "MALFORMED_FRAME" });
    c.send({ type: "teleport" });
    expect(await c.next()).toMatchObject({ type: "error", code: "MALFORMED_FRAME" });
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    expect(await c.next()).toMatchObject({ type: "welcome" });
    c.ws.close();
  });

  it("closes the connection with 1009 on a frame over the limit, without parsing it", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await c.next();
    c.send({ type: "command", ref: "big", jws: "x".repeat(8192) });
    expect((await c.closed()).code).toBe(1009);
    // The bridge itself is unaffected.
    const again = await connect();
    again.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    expect(await again.next()).toMatchObject({ type: "welcome" });
    again.ws.close();
  });

  it("survives a client that disconnects mid-command, and the work is not lost", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await c.next();
    const jti = randomUUID();
    c.send({ type: "command", ref: "gone", jws: await t.sign({ type: "key.generate", label: "orphan-rsa", key: { kty: "RSA", size: 3072 } }, { jti }) });
    while (!t.bridge.ctx.replay.seen(jti)) await new Promise((r) => setTimeout(r, 5));
    c.ws.terminate();
    // A new connection is served; once the generation finishes, the key is on the token and listed.
    const again = await connect();
    again.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    expect(await again.next()).toMatchObject({ type: "welcome" });
    for (let i = 0; i < 100; i++) {
      const r = await t.run({ type: "key.list" });
      if (r.ok && r.type === "key.list" && r.result.keys.some((k) => k.label === "orphan-rsa")) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const listed = await t.run({ type: "key.list" });
    expect(listed.ok && listed.type === "key.list" && listed.result.keys.map((k) => k.label)).toContain("orphan-rsa");
    again.ws.close();
  });

  it("lets a client fetch the result of a command whose connection dropped; resending it stays a replay", async () => {
    const c = await connect();
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await c.next();
    const jti = randomUUID();
    const jws = await t.sign({ type: "key.generate", label: "fetched-ec", key: { kty: "EC", crv: "P-384" } }, { jti });
    c.send({ type: "command", ref: "lost", jws });
    // Drop the connection once the bridge has the command (before that, "unavailable" is the right answer).
    while (!t.bridge.ctx.replay.seen(jti)) await new Promise((r) => setTimeout(r, 5));
    c.ws.terminate();
    const again = await connect();
    again.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await again.next();
    let frame: ServerFrame | undefined;
    for (let i = 0; i < 100; i++) {
      again.send({ type: "fetch", ref: `f${i}`, jti });
      frame = await again.next();
      if (frame?.type === "result") break;
      expect(frame).toMatchObject({ type: "error", code: "RESULT_PENDING" });
      await new Promise((r) => setTimeout(r, 50));
    }
    if (frame?.type !== "result") throw new Error(JSON.stringify(frame));
    expect(await t.verify(frame.jws, jws)).toMatchObject({ ok: true, cmd_jti: jti, result: { label: "fetched-ec" } });
    again.send({ type: "command", ref: "resent", jws });
    const resent = await again.next();
    if (resent?.type !== "result") throw new Error(JSON.stringify(resent));
    expect(await t.verify(resent.jws)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
    again.send({ type: "fetch", ref: "unknown", jti: randomUUID() });
    expect(await again.next()).toMatchObject({ type: "error", code: "RESULT_UNAVAILABLE" });
    again.ws.close();
  });

  it("serves a health endpoint", async () => {
    const res = await fetch(server.url.replace("ws://", "http://").replace("/bridge", "/healthz"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", bridgeId: "bridge-test", protocol: BRIDGE_PROTOCOL_VERSION, token: t.token.label });
  });
});

describe("graceful shutdown", () => {
  it("finishes a command in flight before closing sockets", async () => {
    const other = await listen(t.bridge, { host: "127.0.0.1", port: 0 });
    const c = await connect(other.url);
    c.send({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION });
    await c.next();
    // RSA-4096 generation takes long enough to still be running when shutdown starts.
    c.send({ type: "command", ref: "slow", jws: await t.sign({ type: "key.generate", label: "slow-rsa", key: { kty: "RSA", size: 4096 } }) });
    await new Promise((r) => setTimeout(r, 20));
    await other.close(60_000);
    expect(c.frames.at(-1)).toMatchObject({ type: "result", ref: "slow" });
    expect((await c.closed()).code).toBe(1001);
  });
});
