-- Playbooks turn scores into work. Playbooks are configuration, versioned
-- like the scorecard; each play names the version that opened it.
CREATE TABLE playbook_versions (
  version     integer PRIMARY KEY,
  definition  jsonb NOT NULL,
  source      text NOT NULL,          -- default, file, api
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A play: one account, one playbook, an owner, a deadline, an outcome.
CREATE TABLE plays (
  id                    text PRIMARY KEY,
  account               text NOT NULL REFERENCES accounts (id),
  playbook              text NOT NULL,
  playbook_version      integer NOT NULL REFERENCES playbook_versions (version),
  name                  text NOT NULL,
  tier                  integer NOT NULL DEFAULT 0,
  reason                text NOT NULL,
  trigger_values        jsonb NOT NULL DEFAULT '{}',
  owner_user            text REFERENCES users (id),
  owner_via             text NOT NULL,
  -- Users brought in: a superseded play's owner, those escalated to.
  collaborators         text[] NOT NULL DEFAULT '{}',
  state                 text NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open', 'acknowledged', 'in_progress', 'snoozed', 'closed')),
  opened_at             timestamptz NOT NULL,
  acknowledged_at       timestamptz,
  ack_due_at            timestamptz,
  due_at                timestamptz NOT NULL,
  closed_at             timestamptz,
  closed_by             text,
  outcome               text CHECK (outcome IN ('saved', 'expanded', 'downgraded', 'lost', 'not_needed', 'superseded')),
  outcome_note          text,
  outcome_amount        numeric,
  superseded_by         text REFERENCES plays (id),
  condition_cleared_at  timestamptz,
  cleared_reason        text,
  occurrences           integer NOT NULL DEFAULT 1,
  last_fired_at         timestamptz NOT NULL,
  escalation_level      integer NOT NULL DEFAULT 0,
  next_escalation_at    timestamptz,
  snoozed_until         timestamptz,
  snooze_reason         text,
  -- The account at opening: what the outcome is measured against.
  baseline              jsonb NOT NULL,
  -- Treated plays are worked; held-out ones (the revenue-recovery issue) are only recorded.
  arm                   text NOT NULL DEFAULT 'treated' CHECK (arm IN ('treated', 'holdout')),
  notes                 jsonb NOT NULL DEFAULT '[]',
  CHECK ((state = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL)),
  CHECK (outcome IS DISTINCT FROM 'expanded' OR outcome_amount IS NOT NULL)
);
-- One play not closed per (account, playbook): evaluation can never open a second.
CREATE UNIQUE INDEX plays_one_open ON plays (account, playbook) WHERE state <> 'closed';
CREATE INDEX plays_owner_due ON plays (owner_user, due_at) WHERE state <> 'closed';
CREATE INDEX plays_account_opened ON plays (account, opened_at DESC);
CREATE INDEX plays_due ON plays (due_at) WHERE state <> 'closed';
CREATE INDEX plays_escalation_due ON plays (next_escalation_at) WHERE state <> 'closed' AND next_escalation_at IS NOT NULL;
CREATE INDEX plays_snooze_end ON plays (snoozed_until) WHERE state = 'snoozed';
CREATE INDEX plays_closed ON plays (account, playbook, closed_at DESC) WHERE state = 'closed';

CREATE TABLE play_steps (
  play_id     text NOT NULL REFERENCES plays (id),
  key         text NOT NULL,
  position    integer NOT NULL,
  title       text NOT NULL,
  owner_user  text REFERENCES users (id),
  due_at      timestamptz NOT NULL,
  done_at     timestamptz,
  done_by     text,
  PRIMARY KEY (play_id, key)
);

-- A play's history: opened, acknowledged, snoozed, reassigned, escalated, step done, cleared, recurred, closed.
CREATE TABLE play_events (
  id        bigserial PRIMARY KEY,
  play_id   text NOT NULL REFERENCES plays (id),
  at        timestamptz NOT NULL,
  kind      text NOT NULL,
  actor     text,
  detail    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX play_events_play_idx ON play_events (play_id, id);
CREATE INDEX play_events_at_idx ON play_events (at);
