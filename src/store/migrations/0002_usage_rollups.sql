-- Daily usage roll-ups, written at ingest in the same transaction as the
-- events, so scoring reads these instead of scanning raw events.
--
-- Rows are partial sums: each import appends the roll-up of the events it
-- actually inserted (COPY, no upsert), so a (day, account, user) may have
-- several rows; readers sum them. Only the `day` index is kept: every metric
-- reads a window of days for all accounts (or a few accounts) at once, and a
-- date index with many equal keys stays small and cheap to insert into.
-- Events without a user count under user_id ''.
CREATE TABLE usage_user_days (
  day      date NOT NULL,
  account  text NOT NULL,
  user_id  text NOT NULL,
  events   integer NOT NULL,
  value    double precision NOT NULL
);
CREATE INDEX usage_user_days_day_idx ON usage_user_days (day);

CREATE TABLE usage_feature_days (
  day      date NOT NULL,
  account  text NOT NULL,
  name     text NOT NULL,
  events   integer NOT NULL,
  value    double precision NOT NULL
);
CREATE INDEX usage_feature_days_day_idx ON usage_feature_days (day);
