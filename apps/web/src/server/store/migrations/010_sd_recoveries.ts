/**
 * Security-domain recoveries and quorum rehearsals (issue 5 §2, §3). Only encrypted shares are kept:
 * each re-encrypted to the recovery bridge's ephemeral key by its custodian's bridge.
 */
export const sql = `
CREATE TABLE sd_recoveries (
  id               text PRIMARY KEY,
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL,
  created_by       jsonb NOT NULL,
  state            text NOT NULL,
  recovery_bridge  text NOT NULL,
  ephemeral_label  text NOT NULL,
  ephemeral_key    jsonb NOT NULL,
  security_domain  text NOT NULL,
  required         integer NOT NULL,
  error            text,
  restore_sha256   text
);

CREATE TABLE sd_recovery_shares (
  recovery_id      text NOT NULL REFERENCES sd_recoveries(id),
  thumbprint       text NOT NULL,
  principal_id     text NOT NULL,
  bridge_id        text NOT NULL,
  key_label        text NOT NULL,
  position         integer NOT NULL,
  approved_by      jsonb,
  approved_at      bigint,
  enc_share        text,
  share_number     integer,
  PRIMARY KEY (recovery_id, thumbprint)
);

CREATE TABLE sd_rehearsals (
  id               text PRIMARY KEY,
  created_at       bigint NOT NULL,
  created_by       jsonb NOT NULL,
  thumbprint       text NOT NULL,
  principal_id     text NOT NULL,
  bridge_id        text NOT NULL,
  key_label        text NOT NULL,
  enc_share        text NOT NULL,
  challenge        text NOT NULL,
  state            text NOT NULL,
  completed_at     bigint,
  error            text
);
CREATE INDEX sd_rehearsals_created ON sd_rehearsals (created_at DESC);
`;
