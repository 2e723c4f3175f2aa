-- The facts: one table per ingested entity. Column names are the API's field
-- names, except `user` (a reserved word), stored as user_id.
-- Rows carry ingested_at / updated_at so later stages can see what changed.

CREATE TABLE accounts (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  domain        text,
  segment       text,
  owner         text,
  plan          text,
  seats         integer,
  arr           numeric,
  currency      text,
  renewal_date  date,
  status        text NOT NULL DEFAULT 'active',
  churned_at    timestamptz,
  churn_reason  text,
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_segment_idx ON accounts (segment);
CREATE INDEX accounts_owner_idx ON accounts (owner);
CREATE INDEX accounts_status_idx ON accounts (status);

CREATE TABLE contacts (
  id           text PRIMARY KEY,
  account      text NOT NULL REFERENCES accounts (id),
  email        text,
  name         text,
  title        text,
  role         text,
  active       boolean NOT NULL DEFAULT true,
  ingested_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_account_idx ON contacts (account);

CREATE TABLE subscriptions (
  id            text PRIMARY KEY,
  account       text NOT NULL REFERENCES accounts (id),
  plan          text,
  seats         integer,
  mrr           numeric,
  currency      text,
  discount_pct  numeric,
  started_at    timestamptz NOT NULL,
  ended_at      timestamptz,
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_account_idx ON subscriptions (account, started_at);

-- Events are the big table, so it carries one index only: the key (account, id),
-- which makes a re-sent event a no-op and serves per-account reads. No foreign
-- key: ingest checks every record's account before writing. Scoring reads the
-- daily roll-ups, not this table.
CREATE TABLE events (
  id          text NOT NULL,
  account     text NOT NULL,
  user_id     text,
  ts          timestamptz NOT NULL,
  name        text NOT NULL,
  value       double precision NOT NULL DEFAULT 1,
  source      text NOT NULL DEFAULT 'product',
  properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account, id)
);

CREATE TABLE tickets (
  id                 text PRIMARY KEY,
  account            text NOT NULL REFERENCES accounts (id),
  contact            text,
  opened_at          timestamptz NOT NULL,
  first_response_at  timestamptz,
  resolved_at        timestamptz,
  priority           text NOT NULL DEFAULT 'normal',
  status             text NOT NULL,
  subject            text,
  body               text,
  csat               smallint,
  tags               text[] NOT NULL DEFAULT '{}',
  ingested_at        timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_account_idx ON tickets (account, opened_at);

CREATE TABLE invoices (
  id            text PRIMARY KEY,
  account       text NOT NULL REFERENCES accounts (id),
  issued_at     timestamptz NOT NULL,
  due_at        timestamptz,
  paid_at       timestamptz,
  amount        numeric NOT NULL,
  currency      text NOT NULL,
  status        text NOT NULL,
  discount_pct  numeric,
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_account_idx ON invoices (account, issued_at);

CREATE TABLE meetings (
  id            text PRIMARY KEY,
  account       text NOT NULL REFERENCES accounts (id),
  kind          text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  status        text NOT NULL,
  attendees     text[] NOT NULL DEFAULT '{}',
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_account_idx ON meetings (account, scheduled_at);

CREATE TABLE surveys (
  id           text PRIMARY KEY,
  account      text NOT NULL REFERENCES accounts (id),
  contact      text,
  ts           timestamptz NOT NULL,
  kind         text NOT NULL,
  score        smallint NOT NULL,
  comment      text,
  ingested_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX surveys_account_idx ON surveys (account, ts);

CREATE TABLE notes (
  id           text PRIMARY KEY,
  account      text NOT NULL REFERENCES accounts (id),
  contact      text,
  ts           timestamptz NOT NULL,
  channel      text NOT NULL,
  direction    text,
  text         text,
  ingested_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_account_idx ON notes (account, ts);

CREATE TABLE opportunities (
  id                      text PRIMARY KEY,
  account                 text NOT NULL REFERENCES accounts (id),
  kind                    text NOT NULL,
  stage                   text,
  amount                  numeric,
  currency                text,
  discount_requested_pct  numeric,
  close_date              date,
  status                  text NOT NULL,
  ingested_at             timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opportunities_account_idx ON opportunities (account, close_date);

-- Account metrics computed elsewhere (a warehouse): keyed by (account, date, name).
CREATE TABLE metrics (
  account      text NOT NULL,
  date         date NOT NULL,
  name         text NOT NULL,
  value        double precision NOT NULL,
  ingested_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account, name, date)
);
