import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HSM_SCOPE, KEYS_SCOPE, OPERATION_SCOPE, TargetError, keyScope, type RoleScope } from "@keyward/shared";
import { matchRbacRoute } from "../rbac/routes";
import type { TargetContext } from "./context";
import { HANDLERS } from "./dispatch";
import { readBody, sendError, sendFetchResponse, sendJson } from "./http";
import { matchRoute, type RouteMatch } from "./routes";

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Identifiers name the host the caller used (localhost or 127.0.0.1), so kids work for the caller. */
function baseUrlOf(req: IncomingMessage): string {
  const host = req.headers.host ?? "localhost";
  if (!HOST.test(host)) throw new TargetError("BadParameter", "the Host header is not a host name");
  return `https://${host}`;
}

function scopeOf(route: RouteMatch): RoleScope {
  switch (OPERATION_SCOPE[route.operation]) {
    case "key":
      return keyScope(route.name ?? "");
    case "keys":
      return KEYS_SCOPE;
    default:
      return HSM_SCOPE;
  }
}

/**
 * The local target's request handler. Order matters: authenticate from the Authorization header alone
 * (the official client's first request has no body and expects a 401 challenge), then find the operation,
 * check the caller's data action at its scope through the one authorizer, and only then read the body.
 */
export function createTargetHandler(ctx: TargetContext) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const baseUrl = baseUrlOf(req);
      const url = new URL(req.url ?? "/", baseUrl);
      const method = req.method ?? "GET";
      const auth = await ctx.authenticator.authenticate(req.headers.authorization);
      if (!auth.ok) return await sendFetchResponse(res, auth.challenge, { "x-ms-request-id": requestId });
      const matched = matchRoute(method, url.pathname);
      if (matched.kind === "notFound") throw new TargetError("NotFound", `${method} ${url.pathname} is not an operation of this target`);
      if (matched.kind === "methodNotAllowed") throw new TargetError("MethodNotAllowed", `${method} is not allowed here; use ${matched.allowed.join(" or ")}`);
      const route = matched.route;

      if (route.scope !== undefined) {
        const body = method === "PUT" ? await readBody(req) : undefined;
        const fetchReq = new Request(url, { method, headers: { "content-type": "application/json" }, ...(body ? { body: new Uint8Array(body) } : {}) });
        const rbac = matchRbacRoute(fetchReq, ctx.rbac);
        if (!rbac) throw new TargetError("NotFound", `${method} ${url.pathname} is not an operation of this target`);
        await ctx.authorizer.authorize(auth.principal, rbac.operation, rbac.scope);
        return await sendFetchResponse(res, await rbac.run(fetchReq), { "x-ms-request-id": requestId });
      }

      const handler = HANDLERS[route.operation];
      if (!handler) throw new TargetError("NotFound", `${route.operation} is not available on this target yet`);
      await ctx.authorizer.authorize(auth.principal, route.operation, scopeOf(route));
      const body = method === "GET" || method === "DELETE" ? Buffer.alloc(0) : await readBody(req);
      const result = await handler(ctx, { route, url, body, naming: { baseUrl }, principal: auth.principal });
      if (result.status === 204) {
        res.writeHead(204, { "x-ms-request-id": requestId });
        res.end();
        return;
      }
      sendJson(res, result.status ?? 200, result.body, { ...result.headers, "x-ms-request-id": requestId });
    } catch (err) {
      if (!res.headersSent) sendError(res, err, ctx.log, requestId);
      else res.destroy();
    }
  };
}
