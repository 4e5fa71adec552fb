-- Who may sign in, their sessions and API tokens, and the audit of every read and write (issue 12).

CREATE TABLE users (
  id text PRIMARY KEY,
  -- The sign-in name of a local account, or issuer|subject of one that signs in through OpenID Connect.
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL,
  units text[] NOT NULL DEFAULT '{}',
  -- argon2id; NULL for an account that signs in only through OpenID Connect.
  password_hash text,
  oidc_issuer text,
  oidc_subject text,
  failed_sign_ins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz,
  UNIQUE (oidc_issuer, oidc_subject)
);

-- A browser's session: the cookie holds the id, the table only its SHA-256, so a read of the table signs in nobody.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id text REFERENCES users (id),
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  name text NOT NULL,
  -- SHA-256 of the whole token: tokens are long random strings, so a fast hash is enough and lookups stay cheap.
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL,
  units text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- Append-only: who read or changed what, when, through which endpoint or command, from where.
-- No personal data beyond case ids; the user is named by id.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id text,
  token_id text,
  kind text NOT NULL CHECK (kind IN ('read', 'write', 'denied', 'sign-in')),
  action text NOT NULL,
  case_ids text[] NOT NULL DEFAULT '{}',
  -- A list read as a whole (a unit's call list, an export, a batch of letters): its name, never its contents.
  list text,
  endpoint text NOT NULL,
  source text NOT NULL,
  status int
);
CREATE INDEX audit_log_case_ids ON audit_log USING gin (case_ids);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- The journal names the signed-in user by id beside the name it shows.
ALTER TABLE case_events ADD COLUMN by_user_id text;
