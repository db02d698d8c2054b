/**
 * Keys and their versions. A key row carries what belongs to the name (soft-delete state, rotation
 * policy, which version is latest); everything Key Vault reports per version (key_ops, attributes,
 * tags, release policy) lives on the version, as the service keeps it. Times are unix seconds, as the
 * API speaks them.
 */
export const sql = `
CREATE TABLE keys (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                 text NOT NULL CHECK (name ~ '^[0-9A-Za-z-]{1,127}$'),
  -- Key Vault names are case-insensitive; C collation keeps the paging order identical on every server.
  name_folded          text COLLATE "C" NOT NULL CHECK (name_folded = lower(name)),
  kty                  text NOT NULL CHECK (kty IN ('RSA', 'RSA-HSM', 'EC', 'EC-HSM', 'oct', 'oct-HSM')),
  managed              boolean NOT NULL DEFAULT false,
  created              bigint NOT NULL,
  updated              bigint NOT NULL,
  recoverable_days     integer NOT NULL CHECK (recoverable_days BETWEEN 7 AND 90),
  rotation_policy      jsonb,
  latest_version       text COLLATE "C" NOT NULL,
  version_count        integer NOT NULL CHECK (version_count >= 1),
  deleted_date         bigint,
  scheduled_purge_date bigint,
  CHECK ((deleted_date IS NULL) = (scheduled_purge_date IS NULL))
);

-- One row per name, live or soft-deleted: a deleted name cannot be reused until purged or recovered.
CREATE UNIQUE INDEX keys_name_folded ON keys (name_folded);
CREATE INDEX keys_live_by_name ON keys (name_folded) WHERE deleted_date IS NULL;
CREATE INDEX keys_deleted_by_name ON keys (name_folded) WHERE deleted_date IS NOT NULL;
CREATE INDEX keys_purge_due ON keys (scheduled_purge_date) WHERE deleted_date IS NOT NULL;

CREATE TABLE key_versions (
  key_id         bigint NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  -- 1..n in order of creation: the order of list versions and the next version's number.
  seq            integer NOT NULL CHECK (seq >= 1),
  version        text COLLATE "C" NOT NULL CHECK (version ~ '^[0-9a-f]{32}$'),
  kty            text NOT NULL CHECK (kty IN ('RSA', 'RSA-HSM', 'EC', 'EC-HSM', 'oct', 'oct-HSM')),
  key_ops        text[] NOT NULL
                 CHECK (key_ops <@ ARRAY['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export']),
  enabled        boolean NOT NULL,
  nbf            bigint,
  exp            bigint,
  exportable     boolean NOT NULL,
  created        bigint NOT NULL,
  updated        bigint NOT NULL,
  tags           jsonb NOT NULL DEFAULT '{}'::jsonb,
  release_policy jsonb,
  public_jwk     jsonb NOT NULL,
  -- AES-256-GCM under the domain key, bound to (name, version); never plaintext.
  material       bytea NOT NULL CHECK (octet_length(material) > 29),
  origin         text NOT NULL CHECK (origin IN ('generated', 'imported', 'byok-imported', 'restored')),
  hsm_platform   text NOT NULL,
  PRIMARY KEY (key_id, version),
  UNIQUE (key_id, seq),
  CHECK (nbf IS NULL OR exp IS NULL OR nbf < exp),
  CHECK (NOT exportable OR release_policy IS NOT NULL)
);

-- A key whose latest version is missing cannot be committed: checked at COMMIT, once both rows exist.
ALTER TABLE keys ADD CONSTRAINT keys_latest_version_exists
  FOREIGN KEY (id, latest_version) REFERENCES key_versions (key_id, version) DEFERRABLE INITIALLY DEFERRED;
`;
