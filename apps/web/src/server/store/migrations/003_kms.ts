/**
 * The local KMS endpoint (Alibaba Cloud KMS API): keys, aliases and import tokens. A key's state is
 * not stored: it follows from its material and the material's expiry (see kmsKeyState), so material
 * that expired while no process ran is already gone when the next one looks. Times are unix seconds.
 */
export const sql = `
CREATE TABLE kms_keys (
  key_id               text COLLATE "C" PRIMARY KEY
                       CHECK (key_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  key_spec             text NOT NULL CHECK (key_spec IN ('Aliyun_AES_256')),
  key_usage            text NOT NULL CHECK (key_usage IN ('ENCRYPT/DECRYPT')),
  origin               text NOT NULL CHECK (origin IN ('Aliyun_KMS', 'EXTERNAL')),
  protection_level     text NOT NULL CHECK (protection_level IN ('SOFTWARE', 'HSM')),
  description          text NOT NULL DEFAULT '',
  creation_date        bigint NOT NULL,
  primary_key_version  text COLLATE "C" NOT NULL,
  tags                 jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- AES-256-GCM under the domain key, bound to the key id; NULL while an external key awaits (re-)import.
  material             bytea CHECK (material IS NULL OR octet_length(material) > 29),
  -- Keyed HMAC of the external material the key is bound to (never the material): kept after the
  -- material is deleted or expires, so that only the same material is ever accepted again.
  material_fingerprint bytea CHECK (material_fingerprint IS NULL OR octet_length(material_fingerprint) = 32),
  material_expire      bigint,
  CHECK (origin = 'EXTERNAL' OR material IS NOT NULL),
  CHECK (origin = 'Aliyun_KMS' OR material IS NULL OR material_fingerprint IS NOT NULL),
  CHECK (material IS NOT NULL OR material_expire IS NULL)
);

CREATE INDEX kms_keys_by_creation ON kms_keys (creation_date, key_id);
CREATE INDEX kms_keys_material_due ON kms_keys (material_expire) WHERE material_expire IS NOT NULL;

CREATE TABLE kms_aliases (
  alias_name text COLLATE "C" PRIMARY KEY CHECK (alias_name ~ '^alias/[A-Za-z0-9_/-]{1,255}$'),
  key_id     text COLLATE "C" NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
  created    bigint NOT NULL
);

CREATE INDEX kms_aliases_by_key ON kms_aliases (key_id);

CREATE TABLE kms_import_tokens (
  -- SHA-256 of the token: the token is a bearer secret and is not stored.
  token_hash         bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  key_id             text COLLATE "C" NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
  wrapping_algorithm text NOT NULL CHECK (wrapping_algorithm IN ('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_PKCS1_V1_5')),
  wrapping_key_spec  text NOT NULL CHECK (wrapping_key_spec IN ('RSA_2048')),
  -- The wrapping private key (PKCS#8 DER) under the domain key, bound to token, key and algorithm:
  -- a pair handed out stays usable across restarts until it expires.
  private_key        bytea NOT NULL CHECK (octet_length(private_key) > 29),
  created            bigint NOT NULL,
  expires            bigint NOT NULL CHECK (expires > created)
);

CREATE INDEX kms_import_tokens_by_expiry ON kms_import_tokens (expires);
`;
