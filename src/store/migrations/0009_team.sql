-- The team: users and their roles, how they sign in (sessions, one-time
-- links, single sign-on), machines' API keys, and the audit log.
-- Secrets are never stored as given: passwords as scrypt hashes, every
-- token and key as its SHA-256 (they are long random strings).

CREATE TABLE users (
  id            text PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'executive', 'leader', 'csm', 'viewer')),
  manager_id    text REFERENCES users (id),
  active        boolean NOT NULL DEFAULT true,
  time_zone     text NOT NULL DEFAULT 'UTC',
  password_hash text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz,
  CHECK (manager_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_manager_idx ON users (manager_id);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_hash    text NOT NULL,
  via          text NOT NULL,              -- password, oidc, setup, reset
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Sign-in attempts, for the lockout per account (kept whether or not the email exists).
CREATE TABLE sign_in_attempts (
  email_key text NOT NULL,
  ip        text,
  ok        boolean NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_email_idx ON sign_in_attempts (email_key, at);

-- One-time links: the first admin's setup, password resets and invitations.
CREATE TABLE one_time_links (
  token_hash text PRIMARY KEY,
  purpose    text NOT NULL CHECK (purpose IN ('setup', 'reset')),
  user_id    text REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- Single sign-on in flight: what the callback must match (state), and the PKCE verifier and nonce.
CREATE TABLE oidc_logins (
  state_hash    text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce         text NOT NULL,
  return_to     text NOT NULL DEFAULT '/',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  prefix       text NOT NULL,              -- the key's first characters, to recognise it in a list
  scopes       text[] NOT NULL,
  created_by   text REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- An account owner (the CSM named in the CRM) an admin mapped to a user by hand.
CREATE TABLE owner_mappings (
  owner      text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Who did what, and when: append-only.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_type   text NOT NULL,              -- user, key, cli, system, anonymous
  actor_id     text,
  actor_label  text NOT NULL,
  action       text NOT NULL,
  subject_type text,
  subject_id   text,
  before       jsonb,
  after        jsonb,
  ip           text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
