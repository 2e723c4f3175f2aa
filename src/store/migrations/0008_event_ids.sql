-- An event id names one event. The key was (account, id), so an event re-sent
-- under another account was stored twice although a re-sent event is meant
-- to be ignored. The key becomes the id alone; (account, ts) serves an
-- account's events, newest first.
--
-- Events already stored twice under different accounts keep the copy ingested
-- first; the others move to event_id_conflicts (nothing is thrown away), and
-- the usage roll-ups of the days they touched are summed again from the
-- events that stay.
CREATE TABLE event_id_conflicts (
  id             text NOT NULL,
  account        text NOT NULL,
  user_id        text,
  ts             timestamptz NOT NULL,
  name           text NOT NULL,
  value          double precision NOT NULL,
  source         text NOT NULL,
  properties     jsonb NOT NULL,
  ingested_at    timestamptz NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now()
);

WITH ranked AS (
  SELECT account, id, row_number() OVER (PARTITION BY id ORDER BY ingested_at, account) AS n
  FROM events WHERE id IN (SELECT id FROM events GROUP BY id HAVING count(*) > 1)
), moved AS (
  DELETE FROM events e USING ranked r
  WHERE r.n > 1 AND e.account = r.account AND e.id = r.id
  RETURNING e.id, e.account, e.user_id, e.ts, e.name, e.value, e.source, e.properties, e.ingested_at
)
INSERT INTO event_id_conflicts (id, account, user_id, ts, name, value, source, properties, ingested_at)
SELECT * FROM moved;

ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (id);
CREATE INDEX events_account_ts_idx ON events (account, ts);

CREATE TEMP TABLE kw_event_days ON COMMIT DROP AS
  SELECT DISTINCT account, (ts AT TIME ZONE 'UTC')::date AS day FROM event_id_conflicts;

DELETE FROM usage_user_days u USING kw_event_days d WHERE u.account = d.account AND u.day = d.day;
DELETE FROM usage_feature_days u USING kw_event_days d WHERE u.account = d.account AND u.day = d.day;

INSERT INTO usage_user_days (day, account, user_id, events, value)
SELECT (e.ts AT TIME ZONE 'UTC')::date, e.account, coalesce(e.user_id, ''), count(*), sum(e.value)
FROM events e JOIN kw_event_days d
  ON e.account = d.account AND e.ts >= d.day::timestamp AT TIME ZONE 'UTC'
 AND e.ts < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3;

INSERT INTO usage_feature_days (day, account, name, events, value)
SELECT (e.ts AT TIME ZONE 'UTC')::date, e.account, e.name, count(*), sum(e.value)
FROM events e JOIN kw_event_days d
  ON e.account = d.account AND e.ts >= d.day::timestamp AT TIME ZONE 'UTC'
 AND e.ts < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3;
