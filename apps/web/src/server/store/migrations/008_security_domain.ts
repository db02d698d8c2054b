/**
 * The local target's security domain (issue 5): one row, the target's own. A fresh install is
 * 'provisioned' (key operations refused) until a download makes it 'active'. The fingerprint names the
 * domain key the keys are encrypted under, so that a target whose domain key file is lost knows which
 * domain to accept back. Only encrypted things are kept: the last downloaded file (shares encrypted to
 * the custodians' certificates) and per custodian the key that checks rehearsal proofs (never served to
 * browsers). Times are unix seconds (the target's clock) except the download lease (milliseconds).
 */
export const sql = `
CREATE TABLE security_domain (
  id             text PRIMARY KEY CHECK (id = 'local'),
  fingerprint    text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{32}$'),
  state          text NOT NULL CHECK (state IN ('provisioned', 'active')),
  created_at     bigint NOT NULL,
  activated_at   bigint,
  downloaded_at  bigint,
  required       integer CHECK (required IS NULL OR required BETWEEN 2 AND 10),
  -- [{thumbprintSha256, subject, notAfter, shareNumber, rehearsalKey}] in the file's share order.
  custodians     jsonb NOT NULL DEFAULT '[]'::jsonb,
  file           text,
  lease_owner    text,
  lease_until    bigint,
  upload_status  text CHECK (upload_status IS NULL OR upload_status IN ('Success', 'Failed')),
  upload_details text,
  upload_at      bigint,
  CHECK (state = 'provisioned' OR (file IS NOT NULL AND required IS NOT NULL AND activated_at IS NOT NULL AND downloaded_at IS NOT NULL))
);
`;
