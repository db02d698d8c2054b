/**
 * Quorum records (issue 5 §4): per security domain (its fingerprint) and custodian certificate, who
 * holds the share, their role and contact, where the key is kept and when they last passed a rehearsal;
 * the quarterly reviews; and every change of holder. Keyed by fingerprint and thumbprint rather than
 * referencing the security_domain row, so records outlive a re-download with new certificates and
 * stand on their own whatever that table becomes. Reviews and transfers are evidence: a trigger refuses
 * to change or delete them. Times are unix seconds (the target's clock). Limits match the portal's
 * schema (packages/shared/src/portal/quorum.ts); the database holds them too.
 */
export const sql = `
CREATE TABLE quorum_custodians (
  domain_fingerprint text COLLATE "C" NOT NULL CHECK (char_length(domain_fingerprint) BETWEEN 1 AND 200),
  thumbprint         text COLLATE "C" NOT NULL CHECK (thumbprint ~ '^[A-Za-z0-9_-]{43}$'),
  person             text NOT NULL DEFAULT '' CHECK (char_length(person) <= 200),
  role               text NOT NULL DEFAULT '' CHECK (char_length(role) <= 200),
  contact            text NOT NULL DEFAULT '' CHECK (char_length(contact) <= 300),
  location           text NOT NULL DEFAULT '' CHECK (char_length(location) <= 300),
  updated_at         bigint,
  -- {id, name?} of whoever last wrote the person fields.
  updated_by         jsonb,
  last_rehearsal_at  bigint,
  PRIMARY KEY (domain_fingerprint, thumbprint)
);

CREATE TABLE quorum_reviews (
  seq                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_fingerprint text COLLATE "C" NOT NULL,
  at                 bigint NOT NULL,
  reviewed_by        jsonb NOT NULL,
  note               text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000)
);
CREATE INDEX quorum_reviews_newest ON quorum_reviews (domain_fingerprint, seq DESC);

CREATE TABLE quorum_transfers (
  seq                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_fingerprint text COLLATE "C" NOT NULL,
  thumbprint         text COLLATE "C" NOT NULL,
  at                 bigint NOT NULL,
  -- {person, role, contact, location} before and after.
  from_holder        jsonb NOT NULL,
  to_holder          jsonb NOT NULL CHECK (to_holder->>'person' <> ''),
  reason             text NOT NULL CHECK (reason <> '' AND char_length(reason) <= 2000),
  approved_by        text NOT NULL CHECK (approved_by <> '' AND char_length(approved_by) <= 200),
  recorded_by        jsonb NOT NULL
);
CREATE INDEX quorum_transfers_newest ON quorum_transfers (domain_fingerprint, seq DESC);

CREATE FUNCTION quorum_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: a record of the quorum is never changed or removed', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER quorum_reviews_append_only BEFORE UPDATE OR DELETE ON quorum_reviews
  FOR EACH ROW EXECUTE FUNCTION quorum_history_is_append_only();
CREATE TRIGGER quorum_transfers_append_only BEFORE UPDATE OR DELETE ON quorum_transfers
  FOR EACH ROW EXECUTE FUNCTION quorum_history_is_append_only();
`;
