import { TargetError, type Bridge, type PrincipalRef, type RegisterBridgeRequest } from "@keyward/shared";
import { calculateJwkThumbprint } from "jose";
import type { Principal } from "../auth/principal";
import type { BridgeEndpoint } from "../bridge/client";
import type { Db } from "../store";

interface Row {
  bridge_id: string;
  url: string;
  public_jwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  thumbprint: string;
  description: string | null;
  registered_at: number;
  registered_by: PrincipalRef;
}

const COLUMNS = "bridge_id, url, public_jwk, thumbprint, description, registered_at, registered_by";

function fromRow(r: Row): Bridge {
  return {
    bridgeId: r.bridge_id,
    url: r.url,
    thumbprint: r.thumbprint,
    publicJwk: { kty: "OKP", crv: "Ed25519", x: r.public_jwk.x },
    ...(r.description === null ? {} : { description: r.description }),
    registeredAt: new Date(r.registered_at).toISOString(),
    registeredBy: r.registered_by,
  };
}

export function principalRef(p: Pick<Principal, "id" | "name">): PrincipalRef {
  return { id: p.id, ...(p.name === undefined ? {} : { name: p.name }) };
}

/** How the bridge client reaches a registered bridge: its URL, id and pinned identity. */
export function endpointOf(bridge: Pick<Bridge, "url" | "bridgeId" | "thumbprint" | "publicJwk">): BridgeEndpoint {
  return { url: bridge.url, bridgeId: bridge.bridgeId, identity: { kid: bridge.thumbprint, jwk: { ...bridge.publicJwk } } };
}

/** The bridges an administrator registered: where each one is and which identity key it must present. */
export class BridgeRegistry {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Pins the identity by its RFC 7638 thumbprint — what `keyward-bridge init` printed for comparison. */
  async register(req: RegisterBridgeRequest, by: Principal, now = Date.now()): Promise<Bridge> {
    const jwk = { kty: "OKP" as const, crv: "Ed25519" as const, x: req.publicJwk.x };
    const thumbprint = await calculateJwkThumbprint(jwk);
    if (req.publicJwk.kid !== undefined && req.publicJwk.kid !== thumbprint) {
      throw new TargetError("BadParameter", `the key's kid ${JSON.stringify(req.publicJwk.kid)} is not its thumbprint (${thumbprint}); paste the publicJwk exactly as keyward-bridge identity prints it`);
    }
    const { rows } = await this.db.query<Row>(
      `INSERT INTO bridges (${COLUMNS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::jsonb) ON CONFLICT (bridge_id) DO NOTHING RETURNING ${COLUMNS}`,
      [req.bridgeId, req.url, JSON.stringify(jwk), thumbprint, req.description ?? null, now, JSON.stringify(principalRef(by))],
    );
    const row = rows[0];
    if (!row) throw new TargetError("Conflict", `a bridge with the id ${req.bridgeId} is already registered; remove it first to register it again`);
    return fromRow(row);
  }

  async list(): Promise<Bridge[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM bridges ORDER BY bridge_id`);
    return rows.map(fromRow);
  }

  async find(bridgeId: string): Promise<Bridge | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM bridges WHERE bridge_id = $1`, [bridgeId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async get(bridgeId: string): Promise<Bridge> {
    const bridge = await this.find(bridgeId);
    if (!bridge) throw new TargetError("NotFound", `no bridge with the id ${JSON.stringify(bridgeId)} is registered`);
    return bridge;
  }

  async remove(bridgeId: string): Promise<void> {
    const { rows } = await this.db.query<{ bridge_id: string }>("DELETE FROM bridges WHERE bridge_id = $1 RETURNING bridge_id", [bridgeId]);
    if (!rows[0]) throw new TargetError("NotFound", `no bridge with the id ${JSON.stringify(bridgeId)} is registered`);
  }
}
