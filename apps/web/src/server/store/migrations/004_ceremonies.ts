/**
 * Registered bridges and BYOK ceremonies. A ceremony keeps a snapshot of its bridge (URL and pinned
 * identity), so removing a bridge never rewrites a record. Every step is persisted as it completes,
 * and every signed command before it is sent, so a portal restarted mid-ceremony fetches an unanswered
 * command's result by its jti instead of resending it. Times are unix milliseconds.
 */
export const sql = `
CREATE TABLE bridges (
  bridge_id     text PRIMARY KEY CHECK (bridge_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  url           text NOT NULL CHECK (url ~ '^wss?://'),
  public_jwk    jsonb NOT NULL,
  thumbprint    text NOT NULL,
  description   text,
  registered_at bigint NOT NULL,
  registered_by jsonb NOT NULL
);

CREATE TABLE ceremonies (
  id          text COLLATE "C" PRIMARY KEY CHECK (id ~ '^cer_[0-9A-Za-z]{16,40}$'),
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  finished_at bigint,
  -- The principal the runner acts as (id, groups, name …), re-authorized at each step.
  principal   jsonb NOT NULL,
  -- {bridgeId, url, thumbprint, publicJwk} at creation.
  bridge      jsonb NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('online', 'air-gapped')),
  -- {name, size?, created, kid?}
  kek         jsonb NOT NULL,
  state       text NOT NULL CHECK (state IN ('running', 'awaiting-file', 'interrupted', 'completed', 'failed')),
  error       text,
  -- Which portal process runs it, until when (processes sharing one PostgreSQL take turns).
  lease_owner text,
  lease_until bigint
);
CREATE INDEX ceremonies_newest ON ceremonies (created_at DESC, id DESC);
CREATE INDEX ceremonies_running ON ceremonies (lease_until) WHERE state = 'running';

CREATE TABLE ceremony_targets (
  ceremony_id text COLLATE "C" NOT NULL REFERENCES ceremonies (id) ON DELETE CASCADE,
  seq         integer NOT NULL CHECK (seq >= 0),
  name        text NOT NULL CHECK (name ~ '^[0-9A-Za-z-]{1,127}$'),
  label       text NOT NULL,
  spec        jsonb NOT NULL,
  source      text NOT NULL CHECK (source IN ('generate', 'existing')),
  state       text NOT NULL CHECK (state IN ('pending', 'generated', 'wrapped', 'imported', 'proven', 'failed')),
  error       text,
  -- Public information the bridge reported (public JWK, key check value): what the proof compares with.
  token_key   jsonb,
  -- The .byok (wrapped for the KEK; no plaintext). Served to nobody: only its hash leaves the server.
  byok        text,
  byok_sha256 text CHECK (byok_sha256 ~ '^[0-9a-f]{64}$'),
  kid         text,
  proof       text,
  updated_at  bigint NOT NULL,
  PRIMARY KEY (ceremony_id, seq)
);

CREATE TABLE ceremony_commands (
  jti         text COLLATE "C" PRIMARY KEY,
  ceremony_id text COLLATE "C" NOT NULL REFERENCES ceremonies (id) ON DELETE CASCADE,
  step        text NOT NULL CHECK (step IN ('generate', 'wrap')),
  -- The ceremony_targets.seq values the command is for.
  targets     integer[] NOT NULL,
  jws         text NOT NULL,
  sha256      text NOT NULL,
  expires_at  bigint NOT NULL,
  -- sent: may have reached the bridge, its result not yet applied; answered: applied; void: superseded.
  state       text NOT NULL CHECK (state IN ('sent', 'answered', 'void')),
  created_at  bigint NOT NULL
);
CREATE INDEX ceremony_commands_by_ceremony ON ceremony_commands (ceremony_id, state);
CREATE UNIQUE INDEX ceremony_commands_sha256 ON ceremony_commands (sha256);
`;
