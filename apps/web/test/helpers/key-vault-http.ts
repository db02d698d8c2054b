/** A Key Vault data-plane call as a script makes it: bearer token, JSON in, JSON (or nothing) out. */
export interface KvAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  /** `error.code`, `error.innererror.code` and `error.message` of a refusal. */
  error: { code?: string; inner?: string; message?: string };
}

export function keyVaultHttp(origin: string, token: () => Promise<string>) {
  return async (method: string, path: string, body?: unknown): Promise<KvAnswer> => {
    const res = await fetch(`${origin}${path}${path.includes("?") ? "&" : "?"}api-version=7.5`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const error = (json.error ?? {}) as { code?: string; message?: string; innererror?: { code?: string } };
    return { status: res.status, body: json, headers: res.headers, error: { code: error.code, inner: error.innererror?.code, message: error.message } };
  };
}
export type KeyVaultHttp = ReturnType<typeof keyVaultHttp>;
