import type { z } from "zod";
import { ApiError, errorFromResponse } from "./errors";

/** The Key Vault data-plane version the UI speaks to the local target. */
export const KEY_VAULT_API_VERSION = "7.5";

export type TokenSource = () => Promise<string>;

export interface ApiClient {
  /** JSON from the portal API (`/portal-api/...`) or the Key Vault API (`/keys...`), validated by `schema`. */
  json<T extends z.ZodType>(path: string, schema: T, init?: { method?: string; body?: unknown }): Promise<z.infer<T>>;
  /** A request whose answer is not JSON (204s, downloads). */
  raw(path: string, init?: { method?: string; body?: BodyInit; contentType?: string }): Promise<Response>;
}

function withApiVersion(path: string): string {
  if (path.startsWith("/portal-api")) return path;
  return `${path}${path.includes("?") ? "&" : "?"}api-version=${KEY_VAULT_API_VERSION}`;
}

/**
 * Every call carries the signed-in user's bearer token; a refusal becomes an ApiError with the server's
 * message, never a raw status. A response that does not match the expected shape is an error too.
 */
export function createApiClient(token: TokenSource, onUnauthorized: () => void): ApiClient {
  const raw: ApiClient["raw"] = async (path, init = {}) => {
    let res: Response;
    try {
      res = await fetch(withApiVersion(path), {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${await token()}`, ...(init.body !== undefined ? { "content-type": init.contentType ?? "application/json" } : {}) },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(0, "NetworkError", err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) {
      const error = await errorFromResponse(res);
      if (res.status === 401) onUnauthorized();
      throw error;
    }
    return res;
  };
  return {
    raw,
    async json(path, schema, init = {}) {
      const res = await raw(path, { ...(init.method ? { method: init.method } : {}), ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
      const text = await res.text();
      const parsed = schema.safeParse(text.length ? JSON.parse(text) : undefined);
      if (!parsed.success) throw new ApiError(res.status, "UnexpectedResponse", `the server answered ${path} with an unexpected shape`);
      return parsed.data;
    },
  };
}
