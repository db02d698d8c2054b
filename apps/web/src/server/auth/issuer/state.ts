import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { GrantedScope } from "./scopes";

/**
 * The issuer's short-lived state, in memory: authorization codes, sign-in sessions, refresh tokens and
 * failed-login counters. Losing it on restart only means signing in again. Codes and refresh tokens are
 * kept by their SHA-256, so a memory dump does not hand out live credentials.
 */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userOid: string;
  sessionId: string;
  authTime: number;
  granted: GrantedScope;
  nonce: string | undefined;
  expiresAt: number;
}

export interface Session {
  userOid: string;
  authTime: number;
  expiresAt: number;
}

export interface RefreshGrant {
  /** Every token rotated from one sign-in shares a family; reuse of a spent one revokes the family. */
  familyId: string;
  clientId: string;
  userOid: string;
  sessionId: string;
  authTime: number;
  granted: GrantedScope;
  expiresAt: number;
  spent: boolean;
}

interface Failures {
  count: number;
  lockedUntil: number;
}

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 60_000;

const digest = (token: string) => createHash("sha256").update(token).digest("base64url");
const opaque = () => randomBytes(32).toString("base64url");

function sweep<T extends { expiresAt: number }>(map: Map<string, T>, now: number): void {
  for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
}

export class IssuerState {
  private readonly codes = new Map<string, CodeGrant>();
  private readonly sessions = new Map<string, Session>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly failures = new Map<string, Failures>();

  issueCode(grant: CodeGrant, now: number): string {
    sweep(this.codes, now);
    const code = opaque();
    this.codes.set(digest(code), grant);
    return code;
  }

  /** Single use: the code is gone whether or not the redemption succeeds. */
  redeemCode(code: string, now: number): CodeGrant | undefined {
    const key = digest(code);
    const grant = this.codes.get(key);
    this.codes.delete(key);
    return grant && grant.expiresAt > now ? grant : undefined;
  }

  startSession(session: Session, now: number): string {
    sweep(this.sessions, now);
    const id = opaque();
    this.sessions.set(digest(id), session);
    return id;
  }

  session(id: string | undefined, now: number): Session | undefined {
    if (id === undefined) return undefined;
    const s = this.sessions.get(digest(id));
    return s && s.expiresAt > now ? s : undefined;
  }

  /** Ends the session and every refresh token issued under it. */
  endSession(id: string | undefined): void {
    if (id === undefined) return;
    const key = digest(id);
    this.sessions.delete(key);
    for (const [k, v] of this.refresh) if (v.sessionId === key) this.refresh.delete(k);
  }

  sessionKey(id: string): string {
    return digest(id);
  }

  issueRefreshToken(grant: Omit<RefreshGrant, "familyId" | "spent"> & { familyId?: string }, now: number): string {
    sweep(this.refresh, now);
    const token = opaque();
    this.refresh.set(digest(token), { ...grant, familyId: grant.familyId ?? randomUUID(), spent: false });
    return token;
  }

  /**
   * Spends a refresh token (rotation). A token presented twice means it leaked: the whole family is
   * revoked, so neither the thief nor the owner can continue without signing in again.
   */
  spendRefreshToken(token: string, now: number): RefreshGrant | undefined {
    const grant = this.refresh.get(digest(token));
    if (!grant) return undefined;
    if (grant.spent) {
      for (const [k, v] of this.refresh) if (v.familyId === grant.familyId) this.refresh.delete(k);
      return undefined;
    }
    if (grant.expiresAt <= now) return undefined;
    grant.spent = true;
    return grant;
  }

  isLockedOut(username: string, now: number): boolean {
    const f = this.failures.get(username);
    return f !== undefined && f.lockedUntil > now;
  }

  recordFailure(username: string, now: number): void {
    // Unknown usernames count too (or probing them would be free); bound what an attacker can make us hold.
    if (this.failures.size > 10_000) this.failures.clear();
    const f = this.failures.get(username) ?? { count: 0, lockedUntil: 0 };
    f.count += 1;
    if (f.count >= MAX_FAILED_LOGINS) {
      f.count = 0;
      f.lockedUntil = now + LOCKOUT_MS;
    }
    this.failures.set(username, f);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }
}
