import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { TargetError } from "@keyward/shared";
import { readBody, sendError, sendFetchResponse, sendJson } from "../target/http";
import type { PortalApiContext } from "./context";
import type { Method, PortalResponse, PortalRoute } from "./route";

interface Compiled {
  route: PortalRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: PortalRoute): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

function match(compiled: readonly Compiled[], method: string, path: string) {
  const allowed: Method[] = [];
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    if (c.route.method !== method) {
      allowed.push(c.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      } catch {
        throw new TargetError("BadParameter", `the path segment for ${name} is not valid percent-encoding`);
      }
    });
    return { route: c.route, params };
  }
  if (allowed.length) throw new TargetError("MethodNotAllowed", `${method} is not allowed here; use ${allowed.join(" or ")}`);
  throw new TargetError("NotFound", `${method} ${path} is not an endpoint of the portal API`);
}

function send(res: ServerResponse, out: PortalResponse, requestId: string): void {
  const headers = { "x-ms-request-id": requestId, "cache-control": "no-store" };
  if ("raw" in out) {
    const body = typeof out.raw === "string" ? Buffer.from(out.raw, "utf8") : out.raw;
    res.writeHead(out.status ?? 200, {
      ...headers,
      "content-type": out.contentType,
      "content-length": String(body.length),
      ...(out.filename ? { "content-disposition": `attachment; filename="${out.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"` } : {}),
    });
    res.end(body);
    return;
  }
  if (out.status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  sendJson(res, out.status ?? 200, out.body, headers);
}

/**
 * The portal API (`/portal-api/...`): what the UI needs beyond the Key Vault API — sign-in settings,
 * who am I, bridges, ceremonies, the inventory's server-side search. Same bearer tokens, same
 * authorizer and same error bodies as the local target, so a refusal reads the same everywhere.
 */
export function createPortalApi(ctx: PortalApiContext, routes: readonly PortalRoute[], prefix: string) {
  const compiled = routes.map(compile);
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? "/", ctx.origin);
      const method = req.method ?? "GET";
      const { route, params } = match(compiled, method, url.pathname.slice(prefix.length) || "/");
      if (route.access === "public") {
        send(res, await route.run(ctx, { url, params, body: Buffer.alloc(0), principal: { id: "anonymous", kind: "user", issuer: "", subject: "", groups: [] } }), requestId);
        return;
      }
      const target = ctx.target.ctx;
      const auth = await target.authenticator.authenticate(req.headers.authorization);
      if (!auth.ok) return await sendFetchResponse(res, auth.challenge, { "x-ms-request-id": requestId });
      if (route.access !== "signed-in") await target.authorizer.authorize(auth.principal, route.access.operation, route.access.scope(params));
      const body = method === "GET" || method === "DELETE" ? Buffer.alloc(0) : await readBody(req);
      send(res, await route.run(ctx, { url, params, body, principal: auth.principal }), requestId);
    } catch (err) {
      if (!res.headersSent) sendError(res, err, ctx.target.ctx.log, requestId);
      else res.destroy();
    }
  };
}
