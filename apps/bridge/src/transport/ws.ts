import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { BRIDGE_PROTOCOL_VERSION, CLOSE_CODES, ClientFrameSchema, type ServerFrame } from "@keyward/shared";
import type { Bridge } from "../bridge.js";
import { BRIDGE_VERSION } from "../version.js";

export interface ListenOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string } | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stop accepting, let in-flight commands finish (up to `graceMs`), then close every socket. */
  close(graceMs?: number): Promise<void>;
}

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

/**
 * The bridge's WebSocket endpoint (`/bridge`) and health endpoint (`/healthz`) on one port. Frames are
 * size-limited by `ws` itself (close 1009), so an oversized frame is never buffered or parsed.
 */
export async function listen(bridge: Bridge, opts: ListenOptions): Promise<RunningServer> {
  const { ctx } = bridge;
  let inFlight = 0;
  let draining = false;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(draining ? 503 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: draining ? "draining" : "ok",
          bridgeId: ctx.bridgeId,
          thumbprint: ctx.identity.thumbprint,
          protocol: BRIDGE_PROTOCOL_VERSION,
          version: BRIDGE_VERSION,
          token: ctx.capabilities.report.token.label,
          inFlight,
        }),
      );
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  };
  const server = opts.tls
    ? createHttpsServer({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, handler)
    : createHttpServer(handler);
  const wss = new WebSocketServer({ server, path: "/bridge", maxPayload: ctx.maxFrameBytes });

  wss.on("connection", (ws) => {
    let greeted = false;
    ws.on("error", (err) => ctx.log.warn({ event: "socket_error", err: err.message }, "socket error"));
    ws.on("message", (data, isBinary) => {
      let raw: unknown;
      try {
        raw = JSON.parse(isBinary ? "" : data.toString());
      } catch {
        return send(ws, { type: "error", ref: null, code: "MALFORMED_FRAME", message: "the frame is not JSON" });
      }
      const frame = ClientFrameSchema.safeParse(raw);
      if (!frame.success) return send(ws, { type: "error", ref: null, code: "MALFORMED_FRAME", message: "the frame is not a known frame type" });
      const f = frame.data;
      if (f.type === "hello") {
        if (f.protocol !== BRIDGE_PROTOCOL_VERSION) {
          send(ws, { type: "incompatible", protocol: BRIDGE_PROTOCOL_VERSION, message: `this bridge speaks protocol ${BRIDGE_PROTOCOL_VERSION}, not ${f.protocol}` });
          return ws.close(CLOSE_CODES.incompatible, "incompatible protocol");
        }
        greeted = true;
        return send(ws, { type: "welcome", protocol: BRIDGE_PROTOCOL_VERSION, bridgeId: ctx.bridgeId, thumbprint: ctx.identity.thumbprint });
      }
      if (!greeted) {
        send(ws, { type: "error", ref: f.ref, code: "HELLO_REQUIRED", message: "send hello with the protocol version first" });
        return ws.close(CLOSE_CODES.helloRequired, "hello required");
      }
      if (f.type === "fetch") {
        const stored = ctx.results.get(f.jti);
        if (stored) return send(ws, { type: "result", ref: f.ref, jws: stored });
        return ctx.replay.seen(f.jti)
          ? send(ws, { type: "error", ref: f.ref, code: "RESULT_PENDING", message: "the command is still running; ask again" })
          : send(ws, { type: "error", ref: f.ref, code: "RESULT_UNAVAILABLE", message: "no result for that command: it never arrived, or it has expired" });
      }
      if (draining) return send(ws, { type: "error", ref: f.ref, code: "SHUTTING_DOWN", message: "the bridge is shutting down; send the command again after it restarts" });
      inFlight++;
      bridge
        .execute(f.jws)
        .then((r) => send(ws, { type: "result", ref: f.ref, jws: r.jws }))
        .catch((err: unknown) => {
          ctx.log.error({ event: "execute_crashed", err }, "command pipeline failed");
          send(ws, { type: "error", ref: f.ref, code: "INTERNAL", message: "internal bridge error" });
        })
        .finally(() => inFlight--);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? "wss" : "ws"}://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}/bridge`;

  return {
    url,
    port,
    async close(graceMs = 10_000) {
      draining = true;
      server.close();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      for (const ws of wss.clients) ws.close(CLOSE_CODES.goingAway, "bridge shutting down");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
