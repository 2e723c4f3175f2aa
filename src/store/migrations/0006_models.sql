-- Trained churn models: each `keepwell train` stores a new version (the model
-- as JSON, enough to predict with it) and the backtest report that proves it.
CREATE TABLE models (
  version       serial PRIMARY KEY,
  created_at    timestamptz NOT NULL DEFAULT now(),
  horizon_days  integer NOT NULL,
  kind          text NOT NULL,
  model         jsonb NOT NULL,
  report        jsonb
);
