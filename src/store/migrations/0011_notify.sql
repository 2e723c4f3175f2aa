-- Alerts and outbound delivery.
--
-- What happened (a play opened, an account's band moved) is written to
-- `notify_events` in the same transaction as the change itself: the outbox. A job
-- routes each event to the people and endpoints who should hear of it
-- (`alerts`, `deliveries`), in one transaction per batch, and jobs deliver
-- the messages, retrying and dead-lettering. Nothing announced is ever lost
-- between the change and the message.

CREATE TABLE notify_events (
  id          bigserial PRIMARY KEY,
  -- play.opened, play.escalated, play.overdue, play.closed, account.band_changed,
  -- account.score_dropped, account.flagged, signal.detected, webhook.test
  type        text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  account     text NOT NULL,
  play_id     text,
  -- What an alert is deduplicated on with its type: the play, or the account.
  subject     text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  routed_at   timestamptz
);
CREATE INDEX notify_events_unrouted ON notify_events (id) WHERE routed_at IS NULL;
CREATE INDEX notify_events_type_id ON notify_events (type, id DESC);
CREATE INDEX notify_events_account_id ON notify_events (account, id DESC);

-- One row: the team's notification settings (SMTP, budgets, digests). Secrets
-- are sealed (secret-box.ts) and never read back out through the API.
CREATE TABLE notification_settings (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  settings       jsonb NOT NULL DEFAULT '{}',
  smtp_password  text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text
);

-- Slack incoming webhooks the team posts to (a channel each).
CREATE TABLE slack_channels (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  url_sealed  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- A user's own preferences (time zone is the user's own, on users).
CREATE TABLE notification_prefs (
  user_id          text PRIMARY KEY REFERENCES users (id),
  email            boolean NOT NULL DEFAULT true,
  slack            boolean NOT NULL DEFAULT false,
  slack_url_sealed text,
  -- default: critical and at-risk at once, the rest in the digest; immediate: all at once; digest: all in the digest
  mode             text NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'immediate', 'digest')),
  digest_hour      integer CHECK (digest_hour BETWEEN 0 AND 23),
  -- Minutes after local midnight; both or neither.
  quiet_start      integer CHECK (quiet_start BETWEEN 0 AND 1439),
  quiet_end        integer CHECK (quiet_end BETWEEN 0 AND 1439),
  budget_per_day   integer CHECK (budget_per_day BETWEEN 1 AND 1000),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- A user or a Slack channel following an account, a segment, a band or an event type.
CREATE TABLE notify_subscriptions (
  id            text PRIMARY KEY,
  user_id       text REFERENCES users (id),
  channel_id    text REFERENCES slack_channels (id),
  scope         text NOT NULL CHECK (scope IN ('account', 'segment', 'band', 'event')),
  value         text NOT NULL,
  -- Event types it hears; empty: all.
  event_types   text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text,
  CHECK ((user_id IS NULL) <> (channel_id IS NULL))
);
CREATE UNIQUE INDEX notify_subscriptions_one ON notify_subscriptions (coalesce(user_id, ''), coalesce(channel_id, ''), scope, value);

-- Outbound webhook endpoints (Make, Zapier, n8n, a team's own services).
CREATE TABLE webhook_endpoints (
  id                   text PRIMARY KEY,
  url                  text NOT NULL,
  description          text,
  -- Event types it receives; empty: all.
  event_types          text[] NOT NULL DEFAULT '{}',
  secret_sealed        text NOT NULL,
  -- After a rotation the old secret still signs, beside the new one, until this time.
  previous_secret_sealed text,
  previous_secret_until  timestamptz,
  -- admin: made by a person; rest_hook: a Zapier-style subscription (POST /api/v1/hooks).
  source               text NOT NULL DEFAULT 'admin' CHECK (source IN ('admin', 'rest_hook')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           text,
  disabled_at          timestamptz,
  disabled_reason      text
);

-- Collected alerts for a digest.
CREATE TABLE digests (
  id              text PRIMARY KEY,
  recipient_user  text REFERENCES users (id),
  recipient_channel text REFERENCES slack_channels (id),
  created_at      timestamptz NOT NULL,
  alerts          integer NOT NULL,
  CHECK ((recipient_user IS NULL) <> (recipient_channel IS NULL))
);
CREATE INDEX digests_recipient ON digests (recipient_user, created_at DESC);

-- One alert per (recipient, subject, event type): a play that re-fires adds to it.
CREATE TABLE alerts (
  id                text PRIMARY KEY,
  dedupe_key        text NOT NULL UNIQUE,
  recipient_user    text REFERENCES users (id),
  recipient_channel text REFERENCES slack_channels (id),
  event_type        text NOT NULL,
  subject           text NOT NULL,
  account           text NOT NULL,
  play_id           text,
  severity          text NOT NULL,
  -- immediate: its own message; digest: waits for the recipient's digest
  delivery          text NOT NULL CHECK (delivery IN ('immediate', 'digest')),
  -- Why it went into the digest when it could have gone at once (budget, mode).
  delivery_reason   text,
  title             text NOT NULL,
  -- What the message says (account, band, score, trend, reason, due, link).
  content           jsonb NOT NULL,
  occurrences       integer NOT NULL DEFAULT 1,
  first_event       bigint NOT NULL REFERENCES notify_events (id),
  last_event        bigint NOT NULL REFERENCES notify_events (id),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  read_at           timestamptz,
  digest_id         text REFERENCES digests (id),
  CHECK ((recipient_user IS NULL) <> (recipient_channel IS NULL))
);
CREATE INDEX alerts_inbox ON alerts (recipient_user, created_at DESC, id DESC);
CREATE INDEX alerts_unread ON alerts (recipient_user) WHERE read_at IS NULL;
-- Routing looks up a batch's existing alerts by subject, and counts the last two days' immediate ones for the budget.
CREATE INDEX alerts_subject ON alerts (subject);
CREATE INDEX alerts_immediate_recent ON alerts (created_at) WHERE delivery = 'immediate';
CREATE INDEX alerts_for_digest ON alerts (recipient_user, recipient_channel) WHERE delivery = 'digest' AND digest_id IS NULL;

-- Every outgoing message (an email, a Slack post, a webhook call): written
-- before it is sent, its attempts recorded before each send.
CREATE TABLE deliveries (
  -- For webhooks, also the webhook-id: the same on every attempt.
  id              text PRIMARY KEY,
  channel         text NOT NULL CHECK (channel IN ('email', 'slack', 'webhook')),
  alert_id        text REFERENCES alerts (id),
  digest_id       text REFERENCES digests (id),
  endpoint_id     text REFERENCES webhook_endpoints (id),
  slack_channel_id text REFERENCES slack_channels (id),
  -- The user whose own address or Slack webhook it goes to.
  user_id         text REFERENCES users (id),
  event_id        bigint REFERENCES notify_events (id),
  event_type      text NOT NULL,
  -- Who it goes to, as people read it (an email address, "#cs-alerts", an endpoint's URL without its query).
  target          text NOT NULL,
  -- What is sent, fixed when the message is written (the same on every attempt).
  body            jsonb NOT NULL,
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'delivered', 'dead', 'uncertain', 'cancelled')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  last_response   text,
  created_at      timestamptz NOT NULL,
  delivered_at    timestamptz,
  dead_at         timestamptz,
  CHECK (state <> 'pending' OR next_attempt_at IS NOT NULL)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_sending ON deliveries (lease_until) WHERE state = 'sending';
CREATE INDEX deliveries_dead ON deliveries (dead_at DESC) WHERE state IN ('dead', 'uncertain');
CREATE INDEX deliveries_created ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_alert ON deliveries (alert_id);
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at DESC);

CREATE TABLE delivery_attempts (
  delivery_id  text NOT NULL REFERENCES deliveries (id),
  n            integer NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  status       integer,
  error        text,
  response     text,
  latency_ms   integer,
  PRIMARY KEY (delivery_id, n)
);

-- Plays passing their due time are announced once.
ALTER TABLE plays ADD COLUMN overdue_at timestamptz;
CREATE INDEX plays_overdue_due ON plays (due_at) WHERE state <> 'closed' AND overdue_at IS NULL;
