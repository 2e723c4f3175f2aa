-- Scorecards are versioned: every accepted change is a new row, the newest is
-- active, and every score names the version that made it.
CREATE TABLE scorecard_versions (
  version     integer PRIMARY KEY,
  definition  jsonb NOT NULL,
  source      text NOT NULL,          -- default, file, api, recommend
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One snapshot per account per month, as of the first of the month (the
-- monthly cadence, replayable point in time by a backfill).
CREATE TABLE score_history (
  account            text NOT NULL,
  month              date NOT NULL,
  score              real,
  band               text,
  completeness       real NOT NULL,
  categories         jsonb NOT NULL,
  explanation        json NOT NULL,
  signals            json NOT NULL,
  metrics            jsonb NOT NULL,
  scorecard_version  integer NOT NULL REFERENCES scorecard_versions (version),
  computed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account, month)
);
CREATE INDEX score_history_month_idx ON score_history (month);
-- Explanations are read whole, never queried inside: kept as json text, and
-- stored out of line without compression, which makes a run's write cheap.
ALTER TABLE score_history ALTER COLUMN explanation SET STORAGE EXTERNAL;

-- The current score of each account (refreshed by runs and after ingest).
CREATE TABLE current_scores (
  account            text PRIMARY KEY,
  as_of              timestamptz NOT NULL,
  score              real,
  band               text,
  completeness       real NOT NULL,
  categories         jsonb NOT NULL,
  explanation        json NOT NULL,
  signals            json NOT NULL,
  metrics            jsonb NOT NULL,
  scorecard_version  integer NOT NULL REFERENCES scorecard_versions (version),
  computed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX current_scores_band_idx ON current_scores (band);
ALTER TABLE current_scores ALTER COLUMN explanation SET STORAGE EXTERNAL;
CREATE INDEX current_scores_score_idx ON current_scores (score);
