import { KeyVaultErrorBodySchema } from "@keyward/shared";

/**
 * A refusal from the portal or the local target, in the server's own words. `code` is the closed-set
 * error code (Forbidden, BadParameter, Conflict…), `inner` the finer reason when there is one.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly inner: string | undefined;
  constructor(status: number, code: string, message: string, inner?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.inner = inner;
  }
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const parsed = KeyVaultErrorBodySchema.safeParse(body);
  if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.innererror?.code);
  return new ApiError(res.status, res.status === 401 ? "Unauthorized" : "InternalError", `${res.status} ${res.statusText}`.trim());
}
