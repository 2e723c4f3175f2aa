-- Signals: early warnings a usage score misses (a competitor named, a feature
-- asked for because a competitor has it, an evaluation under way, a silent
-- stakeholder, a departed champion, friction in a renewal, known
-- dissatisfaction), each detected with its evidence.

-- The competitors the team names (configuration): matched in text by whole words and phrases.
CREATE TABLE competitors (
  name        text PRIMARY KEY,
  aliases     text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- What text analysis found in a record's text, once, at ingest (and again over
-- stored text when the competitors change): one row per finding, with the
-- sentence and where in it the match is.
CREATE TABLE text_findings (
  entity       text NOT NULL CHECK (entity IN ('tickets', 'notes', 'surveys', 'opportunities')),
  record_id    text NOT NULL,
  account      text NOT NULL,
  contact      text,
  -- When the text was written (the ticket's opening, the note's or answer's time, the deal's close date).
  at           timestamptz NOT NULL,
  -- competitor_mention, feature_parity_request, evaluating_alternatives, departure, procurement_pushback
  kind         text NOT NULL,
  competitor   text,
  sentence     text NOT NULL,
  match_start  integer NOT NULL,
  match_end    integer NOT NULL,
  PRIMARY KEY (entity, record_id, kind, match_start)
);
CREATE INDEX text_findings_account_at ON text_findings (account, at);
CREATE INDEX text_findings_kind_at ON text_findings (kind, at);

-- People's changes the signals are judged on, point in time.
ALTER TABLE contacts ADD COLUMN inactive_since date;
ALTER TABLE contacts ADD COLUMN previous_role text;
ALTER TABLE contacts ADD COLUMN role_changed_at date;
ALTER TABLE contacts ADD COLUMN email_bounced_at timestamptz;
ALTER TABLE contacts ADD COLUMN user_id text;

-- Deals: why one was lost (and to whom), and its field history (slipping close dates, stages moving back).
ALTER TABLE opportunities ADD COLUMN lost_reason text;
ALTER TABLE opportunities ADD COLUMN competitor text;
ALTER TABLE opportunities ADD COLUMN history jsonb;

-- An import that changes a deal's stage, close date or discount without
-- sending its history keeps the old values as a history entry, so a CRM that
-- only sends the current state still shows a close date slipping.
CREATE FUNCTION opportunities_keep_history() RETURNS trigger AS $$
BEGIN
  IF NEW.history IS NULL AND (NEW.stage IS DISTINCT FROM OLD.stage
      OR NEW.close_date IS DISTINCT FROM OLD.close_date
      OR NEW.discount_requested_pct IS DISTINCT FROM OLD.discount_requested_pct) THEN
    NEW.history := coalesce(OLD.history, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
      'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'stage', NEW.stage, 'close_date', NEW.close_date, 'discount_requested_pct', NEW.discount_requested_pct,
      'amount', NEW.amount, 'previous', jsonb_build_object('stage', OLD.stage, 'close_date', OLD.close_date,
      'discount_requested_pct', OLD.discount_requested_pct)));
  ELSIF NEW.history IS NULL THEN
    NEW.history := OLD.history;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER opportunities_keep_history BEFORE UPDATE ON opportunities
  FOR EACH ROW EXECUTE FUNCTION opportunities_keep_history();

-- Each account's signals now: refreshed after scoring, one row per
-- (account, kind, contact or competitor), kept when it clears (active false,
-- cleared_at) so its history stays readable.
CREATE TABLE signals (
  id           text PRIMARY KEY,
  -- kind|account|contact-or-competitor-or-empty
  key          text NOT NULL UNIQUE,
  account      text NOT NULL REFERENCES accounts (id),
  contact      text,
  competitor   text,
  kind         text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  occurrences  integer NOT NULL DEFAULT 1,
  active       boolean NOT NULL DEFAULT true,
  cleared_at   timestamptz,
  -- What raised it: [{entity, id, date, sentence, match: [start, end]}] or [{text}] for numbers.
  evidence     jsonb NOT NULL,
  summary      text NOT NULL,
  -- When its evidence dates from (the earliest and the latest record): "two signals within 30 days" reads these.
  first_evidence_at timestamptz,
  last_evidence_at  timestamptz,
  detected_at  timestamptz NOT NULL,
  CHECK (active = (cleared_at IS NULL))
);
CREATE INDEX signals_account ON signals (account, active, last_seen DESC);
CREATE INDEX signals_kind_active ON signals (kind, last_seen DESC) WHERE active;
CREATE INDEX signals_recent ON signals (last_seen DESC, id DESC);
