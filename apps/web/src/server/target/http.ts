import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { TargetError, type KeyVaultErrorBody } from "@keyward/shared";

/** Large enough for a restore blob of a key with many versions; a `.byok` is at most 64 KiB. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export const SERVICE_HEADERS = { "x-ms-keyvault-service-version": "keyward-1", "content-type": "application/json; charset=utf-8" } as const;

/** Read the whole body, refusing more than `limit` bytes without buffering the rest. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new TargetError("PayloadTooLarge", `the request body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TargetError("PayloadTooLarge", `the request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parse a JSON body against a schema; every problem is a 400 that says which field and why. */
export function parseJson<T extends z.ZodType>(body: Buffer, schema: T): z.infer<T> {
  let json: unknown;
  if (body.length === 0) throw new TargetError("BadParameter", "the request needs a JSON body");
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new TargetError("BadParameter", "the request body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new TargetError("BadParameter", describeIssues(parsed.error));
  return parsed.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...SERVICE_HEADERS, "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export interface ErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * The one place an error becomes a response. TargetErrors say what is wrong; anything else is a
 * 500 with a request id to find it in the log — never the internal message or a stack.
 */
export function sendError(res: ServerResponse, err: unknown, log: ErrorLogger, requestId: string = randomUUID()): void {
  if (err instanceof TargetError) {
    sendJson(res, err.status, err.toBody(), { "x-ms-request-id": requestId });
    return;
  }
  log.error({ requestId, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) }, "unexpected error");
  const body: KeyVaultErrorBody = { error: { code: "InternalError", message: `internal error; request id ${requestId}` } };
  sendJson(res, 500, body, { "x-ms-request-id": requestId });
}

/** A Fetch API Request for handlers written against it (the identity provider, access control). */
export async function toFetchRequest(req: IncomingMessage, url: URL, limit = MAX_BODY_BYTES): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req, limit);
  return new Request(url, { method, headers, ...(body && body.length ? { body: new Uint8Array(body) } : {}) });
}

/** Write a Fetch API Response to a Node response. */
export async function sendFetchResponse(res: ServerResponse, response: Response, extra: Record<string, string> = {}): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = { ...extra };
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
