import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { KMS_API_VERSION, KmsError, TargetError, invalidParameter, missingParameter, type KmsErrorBody } from "@keyward/shared";
import { readBody } from "../target/http";
import { KMS_ACTIONS, type ActionContext } from "./actions";
import type { RpcSignatureVerifier } from "./signature";

/** KMS requests are small: the largest is an Encrypt of 6 KiB. */
const MAX_KMS_BODY_BYTES = 64 * 1024;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export interface ErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * An Alibaba Cloud RPC request: `/` with an `Action` query parameter or an `x-acs-action` header (the
 * official clients send both). Any method, so that a wrong one is answered in the cloud's words.
 */
export function isKmsRequest(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  if ((query === -1 ? url : url.slice(0, query)) !== "/") return false;
  if (req.headers["x-acs-action"] !== undefined) return true;
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has("Action");
}

/** Query and form parameters as one map (the form wins, as the clients sign it); a name given twice is refused. */
async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  const add = (source: URLSearchParams) => {
    const seen = new Set<string>();
    for (const [name, value] of source) {
      if (seen.has(name)) throw invalidParameter(name, "It is given more than once.");
      seen.add(name);
      params[name] = value;
    }
  };
  add(new URL(req.url ?? "/", "https://kms.invalid").searchParams);
  const type = req.headers["content-type"] ?? "";
  const body = await readBody(req, MAX_KMS_BODY_BYTES).catch((err: unknown) => {
    throw err instanceof TargetError ? new KmsError("InvalidParameter", `The request body is larger than ${MAX_KMS_BODY_BYTES} bytes.`) : err;
  });
  if (body.length && type.startsWith("application/x-www-form-urlencoded")) add(new URLSearchParams(body.toString("utf8")));
  return params;
}

function send(res: ServerResponse, status: number, body: object, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json;charset=utf-8", "content-length": String(Buffer.byteLength(text)), "x-acs-request-id": requestId });
  res.end(text);
}

/**
 * The one place a KMS error becomes a response: KmsErrors in the cloud's shape and status; anything
 * else an InternalFailure with the request id to find it in the log — never the internal message.
 */
function sendError(res: ServerResponse, err: unknown, requestId: string, hostId: string, log: ErrorLogger): void {
  if (err instanceof KmsError) return send(res, err.status, err.toBody(requestId, hostId), requestId);
  log.error({ requestId, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) }, "unexpected KMS error");
  const body: KmsErrorBody = { RequestId: requestId, HostId: hostId, Code: "InternalFailure", Message: `Internal Failure. Request id ${requestId}.` };
  send(res, 500, body, requestId);
}

export interface KmsHandlerOptions extends ActionContext {
  verifier: RpcSignatureVerifier;
  log: ErrorLogger;
}

/**
 * The KMS endpoint. Order matters: method, then the signature over every parameter, and only then
 * is the action looked at — an unsigned request learns nothing about what exists.
 */
export function createKmsHandler(o: KmsHandlerOptions) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID().toUpperCase();
    const host = req.headers.host ?? "";
    const hostId = HOST.test(host) ? host : "localhost";
    try {
      const method = req.method ?? "GET";
      if (method !== "GET" && method !== "POST") throw new KmsError("UnsupportedHTTPMethod", `This http method is not supported: ${method}.`);
      const params = await readParams(req);
      o.verifier.verify({ method, params });
      if (params.Version !== KMS_API_VERSION) throw params.Version ? invalidParameter("Version", `This endpoint speaks ${KMS_API_VERSION}.`) : missingParameter("Version");
      if (params.Format && params.Format.toLowerCase() !== "json") throw invalidParameter("Format", "This endpoint answers JSON only.");
      // The signed parameter, never the unsigned x-acs-action header, says what is done.
      const name = params.Action;
      if (!name) throw missingParameter("Action");
      const action = Object.hasOwn(KMS_ACTIONS, name) ? KMS_ACTIONS[name] : undefined;
      if (!action) throw new KmsError("InvalidAction.NotFound", `Specified api is not found, please check your url and method: ${name}.`);
      send(res, 200, { ...(await action(o, params)), RequestId: requestId }, requestId);
    } catch (err) {
      if (!res.headersSent) sendError(res, err, requestId, hostId, o.log);
      else res.destroy();
    }
  };
}
