import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import {
  BRIDGE_PROTOCOL_VERSION,
  BridgeError,
  ServerFrameSchema,
  signCommand,
  verifyResult,
  type BridgeCommand,
  type CommandSigner,
  type OkResultBody,
  type TrustedKey,
} from "@keyward/shared";

export interface BridgeEndpoint {
  url: string;
  bridgeId: string;
  /** The bridge's identity key, pinned at registration (compare its thumbprint with `init`'s output). */
  identity: TrustedKey;
}

export type ResultOf<T extends BridgeCommand["type"]> = Extract<OkResultBody, { type: T }>["result"];

type Pending = { resolve: (jws: string) => void; reject: (err: Error) => void; command: string };

/**
 * The portal's side of a bridge connection: hello, signed commands, verified results. Every result is
 * checked to be signed by the pinned bridge key and to answer exactly the command that was sent.
 */
export class BridgeClient {
  private readonly pending = new Map<string, Pending>();
  private readonly ws: WebSocket;
  private readonly endpoint: BridgeEndpoint;
  private readonly signer: CommandSigner;

  private constructor(ws: WebSocket, endpoint: BridgeEndpoint, signer: CommandSigner) {
    this.ws = ws;
    this.endpoint = endpoint;
    this.signer = signer;
    ws.on("message", (data) => this.onFrame(data.toString()));
    ws.on("close", (code) => this.failAll(new Error(`the bridge closed the connection (${code})`)));
    ws.on("error", (err) => this.failAll(err));
  }

  static async connect(endpoint: BridgeEndpoint, signer: CommandSigner, opts: { ca?: string; timeoutMs?: number } = {}): Promise<BridgeClient> {
    const ws = new WebSocket(endpoint.url, { ...(opts.ca ? { ca: opts.ca } : {}), handshakeTimeout: opts.timeoutMs ?? 10_000 });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.send(JSON.stringify({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION, client: "keyward-portal" }));
    const welcome = await new Promise<unknown>((resolve, reject) => {
      ws.once("message", (d) => resolve(JSON.parse(d.toString())));
      ws.once("close", (code) => reject(new Error(`the bridge closed the connection (${code})`)));
    });
    const frame = ServerFrameSchema.safeParse(welcome);
    if (!frame.success || frame.data.type !== "welcome") {
      ws.close();
      throw new Error(frame.success && frame.data.type === "incompatible" ? frame.data.message : "the bridge did not answer hello");
    }
    if (frame.data.bridgeId !== endpoint.bridgeId || frame.data.thumbprint !== endpoint.identity.kid) {
      ws.close();
      throw new Error(`the bridge at ${endpoint.url} is not ${endpoint.bridgeId} with the registered identity`);
    }
    return new BridgeClient(ws, endpoint, signer);
  }

  /** Sign a command, send it, and return the verified result; a refusal throws a BridgeError. */
  async run<T extends BridgeCommand["type"]>(command: Extract<BridgeCommand, { type: T }>): Promise<ResultOf<T>> {
    const jws = await signCommand(command, this.signer, { audience: this.endpoint.bridgeId });
    const ref = randomUUID();
    const resultJws = await new Promise<string>((resolve, reject) => {
      this.pending.set(ref, { resolve, reject, command: jws });
      this.ws.send(JSON.stringify({ type: "command", ref, jws }));
    });
    const claims = await verifyResult(resultJws, { trusted: [this.endpoint.identity], bridgeId: this.endpoint.bridgeId, command: jws });
    if (!claims.ok) throw new BridgeError(claims.error.code, claims.error.message);
    if (claims.type !== command.type) throw new Error(`the bridge answered ${claims.type} to ${command.type}`);
    // verifyResult parsed the body against the protocol's schema and the type was checked just above.
    return (claims as { result: unknown }).result as ResultOf<T>;
  }

  close(): void {
    this.ws.close(1000);
  }

  private onFrame(text: string): void {
    const frame = ServerFrameSchema.safeParse(JSON.parse(text));
    if (!frame.success) return;
    const f = frame.data;
    if (f.type === "result") {
      const p = this.pending.get(f.ref);
      this.pending.delete(f.ref);
      p?.resolve(f.jws);
    } else if (f.type === "error" && f.ref) {
      const p = this.pending.get(f.ref);
      this.pending.delete(f.ref);
      p?.reject(new BridgeError(f.code, f.message));
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
