/**
 * KMS import jobs: HSM key material wrapped by a bridge for a KMS import token and imported into a KMS
 * key. Each step is written as it completes (and the run holds a lease, as ceremonies do), so a portal
 * stopped mid-job resumes it. The import token and the wrapped material are kept only between the
 * step that made them and the import, never served, and cleared once imported. Times are unix seconds
 * (the target's clock, the one KMS token and material expiry follow) except the lease (milliseconds).
 */
export const sql = `
CREATE TABLE kms_import_jobs (
  id                 text COLLATE "C" PRIMARY KEY CHECK (id ~ '^kij_[0-9A-Za-z]{16,40}$'),
  created_at         bigint NOT NULL,
  updated_at         bigint NOT NULL,
  principal          jsonb NOT NULL,
  -- {"kind":"local-kms"}; a cloud KMS would be another kind with its endpoint.
  target             jsonb NOT NULL,
  -- {bridgeId, url, thumbprint, publicJwk} at creation.
  bridge             jsonb NOT NULL,
  key_id             text COLLATE "C" NOT NULL,
  key_created        boolean NOT NULL,
  alias              text,
  hsm_source         text NOT NULL CHECK (hsm_source IN ('generate', 'existing')),
  hsm_label          text NOT NULL,
  algorithm          text NOT NULL CHECK (algorithm IN ('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_PKCS1_V1_5')),
  allow_pkcs1        boolean NOT NULL DEFAULT false,
  material_days      integer CHECK (material_days IS NULL OR material_days > 0),
  state              text NOT NULL CHECK (state IN ('running', 'interrupted', 'completed', 'failed')),
  step               text NOT NULL CHECK (step IN ('planned', 'hsm-key-ready', 'parameters-fetched', 'wrapped', 'imported')),
  error              text,
  -- The HSM key's check value as the bridge reported it: the material's fingerprint, without the material.
  kcv                text CHECK (kcv IS NULL OR kcv ~ '^[0-9a-f]{6}$'),
  warnings           jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The current parameters (GetParametersForImport): the token is a bearer secret for this key only.
  public_key         text,
  import_token       text,
  token_expires      bigint,
  encrypted_material text,
  imported_at        bigint,
  imports            integer NOT NULL DEFAULT 0,
  lease_owner        text,
  lease_until        bigint
);
CREATE INDEX kms_import_jobs_newest ON kms_import_jobs (created_at DESC, id DESC);
CREATE INDEX kms_import_jobs_by_key ON kms_import_jobs (key_id);
`;
