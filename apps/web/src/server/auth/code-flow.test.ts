import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addClient, addLocalUser } from "./identities";
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from "./issuer/state";
import { ORIGIN, PORTAL_REDIRECT, cookieHeader, cookiesFrom, form, makeFixture, pkce, signIn, type Fixture } from "./test-fixtures";

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.cleanup());

const authorizeQuery = (overrides: Record<string, string | undefined> = {}) => {
  const base: Record<string, string | undefined> = {
    response_type: "code",
    client_id: "keyward-portal",
    redirect_uri: PORTAL_REDIRECT,
    scope: "openid profile offline_access",
    state: "s",
    code_challenge: pkce().challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  return new URLSearchParams(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined)).toString();
};

type TokenBody = { access_token: string; id_token?: string; refresh_token?: string; scope: string; error?: string };

const redeem = async (code: string, verifier: string, extra: Record<string, string> = {}) => {
  const res = await f.call(
    "/oidc/token",
    form({ grant_type: "authorization_code", client_id: "keyward-portal", code, code_verifier: verifier, redirect_uri: PORTAL_REDIRECT, ...extra }),
  );
  return { status: res.status, body: (await res.json()) as TokenBody };
};

const refresh = async (token: string, scope?: string) => {
  const res = await f.call(
    "/oidc/token",
    form({ grant_type: "refresh_token", client_id: "keyward-portal", refresh_token: token, ...(scope === undefined ? {} : { scope }) }),
  );
  return { status: res.status, body: (await res.json()) as TokenBody };
};

describe("authorization code + PKCE (S256)", () => {
  it("round-trips: sign-in form → code → tokens for the signed-in user", async () => {
    const { verifier, challenge } = pkce();
    const { code, state } = await signIn(f, { challenge, nonce: "nonce-42", state: "xyz" });
    expect(state).toBe("xyz");
    const { status, body } = await redeem(code, verifier);
    expect(status).toBe(200);
    expect(body.scope).toBe("openid profile offline_access https://managedhsm.azure.net/.default");
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: "https://managedhsm.azure.net", oid: f.seed.adminOid, idtyp: "user", preferred_username: "admin" });
    expect(decodeJwt(body.id_token ?? "")).toMatchObject({ aud: "keyward-portal", sub: f.seed.adminOid, nonce: "nonce-42", iss: `${ORIGIN}/oidc` });
    expect(body.refresh_token).toBeTruthy();
    const auth = await f.authenticator.authenticate(`Bearer ${body.access_token}`);
    expect(auth.ok && auth.principal).toMatchObject({ id: f.seed.adminOid, kind: "user", name: "admin", clientId: "keyward-portal" });
  });

  it("answers in the fragment when asked (MSAL's default response_mode)", async () => {
    const { verifier, challenge } = pkce();
    const { code, state } = await signIn(f, { challenge, responseMode: "fragment" });
    expect(state).toBe("st-1");
    expect((await redeem(code, verifier)).status).toBe(200);
  });

  it("refuses a wrong code_verifier, and the code is spent by the attempt", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    const wrong = await redeem(code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    const retry = await redeem(code, verifier);
    expect(retry.status).toBe(400);
    expect(retry.body.error).toBe("invalid_grant");
  });

  it("refuses a code used twice", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    expect((await redeem(code, verifier)).status).toBe(200);
    const again = await redeem(code, verifier);
    expect([again.status, again.body.error]).toEqual([400, "invalid_grant"]);
  });

  it.each([
    ["a different redirect_uri", { redirect_uri: `${ORIGIN}/elsewhere` }, 400, "invalid_grant"],
    ["a malformed code_verifier", { code_verifier: "short" }, 400, "invalid_request"],
  ])("refuses %s", async (_, extra, status, error) => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    const res = await redeem(code, verifier, extra);
    expect([res.status, res.body.error]).toEqual([status, error]);
  });

  it("refuses an expired code", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    f.clock.now += 31_000;
    try {
      const res = await redeem(code, verifier);
      expect([res.status, res.body.error]).toEqual([400, "invalid_grant"]);
    } finally {
      f.clock.now -= 31_000;
    }
  });

  it("refuses a code redeemed by another client", async () => {
    await addClient(f.dataDir, { clientId: "other-spa", type: "public", portalRedirects: true });
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    const res = await redeem(code, verifier, { client_id: "other-spa" });
    expect([res.status, res.body.error]).toEqual([400, "invalid_grant"]);
  });
});

describe("the authorize endpoint's refusals", () => {
  it.each([
    ["an unknown client", { client_id: "nobody" }],
    ["a redirect URI on another origin", { redirect_uri: "https://evil.example/cb" }],
    ["no redirect URI", { redirect_uri: undefined }],
    ["a confidential client without the code grant", { client_id: "keyward-cli" }],
  ])("shows an error page for %s and never redirects", async (_, overrides) => {
    const res = await f.call(`/oidc/authorize?${authorizeQuery(overrides)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it.each([
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request"],
    ["no PKCE", { code_challenge: undefined, code_challenge_method: undefined }, "invalid_request"],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["an unknown resource scope", { scope: "openid https://evil.example/.default" }, "invalid_scope"],
    ["prompt=none without a session", { prompt: "none" }, "login_required"],
  ])("redirects back with an error for %s", async (_, overrides, error) => {
    const res = await f.call(`/oidc/authorize?${authorizeQuery(overrides)}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(PORTAL_REDIRECT);
    expect(location.searchParams.get("error")).toBe(error);
    expect(location.searchParams.get("state")).toBe("s");
  });

  it("serves the form with anti-framing headers and a CSRF cookie", async () => {
    const res = await f.call(`/oidc/authorize?${authorizeQuery()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(cookiesFrom(res)["__Host-keyward-oidc-csrf"]).toBeTruthy();
  });
});

describe("the sign-in form", () => {
  const post = async (values: Record<string, string>, cookies: Record<string, string>, origin = ORIGIN) =>
    f.call("/oidc/authorize", form({ ...Object.fromEntries(new URLSearchParams(authorizeQuery())), ...values }, { Cookie: cookieHeader(cookies), Origin: origin }));
  const page = async () => {
    const res = await f.call(`/oidc/authorize?${authorizeQuery()}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? "";
    return { csrf, cookies: cookiesFrom(res) };
  };

  it("refuses a wrong password with 401 and the same words as an unknown user", async () => {
    const { csrf, cookies } = await page();
    const wrong = await post({ csrf, username: "admin", password: "not-the-password" }, cookies);
    const unknown = await post({ csrf, username: "mallory", password: "whatever-password" }, cookies);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    for (const res of [wrong, unknown]) expect(await res.text()).toContain("Wrong username or password.");
  });

  it("refuses a post without the CSRF token (400)", async () => {
    const { cookies } = await page();
    const res = await post({ csrf: "forged", username: "admin", password: f.seed.initial.adminPassword }, cookies);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("refuses a post from another origin (403)", async () => {
    const { csrf, cookies } = await page();
    const res = await post({ csrf, username: "admin", password: f.seed.initial.adminPassword }, cookies, "https://evil.example");
    expect(res.status).toBe(403);
  });

  it("locks a username out after repeated failures (429), then lets it in again", async () => {
    await addLocalUser(f.dataDir, { username: "carol", password: "carol-password-1" });
    const { csrf, cookies } = await page();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect((await post({ csrf, username: "carol", password: "nope-nope-nope" }, cookies)).status).toBe(401);
    expect((await post({ csrf, username: "carol", password: "carol-password-1" }, cookies)).status).toBe(429);
    f.clock.now += LOCKOUT_MS + 1;
    try {
      expect((await post({ csrf, username: "carol", password: "carol-password-1" }, cookies)).status).toBe(303);
    } finally {
      f.clock.now -= LOCKOUT_MS + 1;
    }
  });
});

describe("sessions, refresh and logout", () => {
  it("a signed-in browser gets a code without the form (prompt=login forces it)", async () => {
    const { challenge } = pkce();
    const { sessionCookie } = await signIn(f, { challenge });
    const silent = await f.call(`/oidc/authorize?${authorizeQuery({ prompt: "none" })}`, { headers: { Cookie: cookieHeader(sessionCookie) } });
    expect(silent.status).toBe(302);
    expect(new URL(silent.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    const forced = await f.call(`/oidc/authorize?${authorizeQuery({ prompt: "login" })}`, { headers: { Cookie: cookieHeader(sessionCookie) } });
    expect(forced.status).toBe(200);
  });

  it("rotates refresh tokens, serves another resource, and revokes the family on reuse", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    const first = (await redeem(code, verifier)).body.refresh_token ?? "";
    const second = await refresh(first, "openid offline_access https://vault.azure.net/.default");
    expect(second.status).toBe(200);
    expect(decodeJwt(second.body.access_token).aud).toBe("https://vault.azure.net");
    expect(second.body.id_token).toBeTruthy();
    const next = second.body.refresh_token ?? "";
    expect(next).not.toBe(first);
    const reuse = await refresh(first);
    expect([reuse.status, reuse.body.error]).toEqual([400, "invalid_grant"]);
    // The reuse revoked the whole family: the legitimate successor is dead too.
    const successor = await refresh(next);
    expect([successor.status, successor.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("refuses an expired refresh token", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(f, { challenge });
    const token = (await redeem(code, verifier)).body.refresh_token ?? "";
    f.clock.now += 601_000;
    try {
      const res = await refresh(token);
      expect([res.status, res.body.error]).toEqual([400, "invalid_grant"]);
    } finally {
      f.clock.now -= 601_000;
    }
  });

  it("logout ends the session and its refresh tokens, then returns to the app", async () => {
    const { verifier, challenge } = pkce();
    const { code, sessionCookie } = await signIn(f, { challenge });
    const tokens = (await redeem(code, verifier)).body;
    const back = `${ORIGIN}/signed-out`;
    const res = await f.call(`/oidc/logout?${new URLSearchParams({ post_logout_redirect_uri: back, id_token_hint: tokens.id_token ?? "", state: "bye" })}`, {
      headers: { Cookie: cookieHeader(sessionCookie) },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${back}?state=bye`);
    expect(cookiesFrom(res)["__Host-keyward-oidc-session"]).toBe("");
    const after = await refresh(tokens.refresh_token ?? "");
    expect([after.status, after.body.error]).toEqual([400, "invalid_grant"]);
    const silent = await f.call(`/oidc/authorize?${authorizeQuery({ prompt: "none" })}`, { headers: { Cookie: cookieHeader(sessionCookie) } });
    expect(new URL(silent.headers.get("location") ?? "").searchParams.get("error")).toBe("login_required");
  });

  it("logout never redirects to a foreign address", async () => {
    const res = await f.call(`/oidc/logout?${new URLSearchParams({ post_logout_redirect_uri: "https://evil.example/", client_id: "keyward-portal" })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
  });
});
