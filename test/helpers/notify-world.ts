import { secretBox, type User } from "../../src/auth/index.js";
import { newId } from "../../src/auth/tokens.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import { closeHttpAgent } from "../../src/notify/channels/index.js";
import { newWebhookSecret } from "../../src/notify/channels/webhook.js";
import {
  closeMailers,
  type DeliverySummary,
  deliverDeliveries,
  type NotifyDeps,
} from "../../src/notify/index.js";
import { savePlaybooks, validatePlaybooks } from "../../src/playbooks/index.js";
import type { Db } from "../../src/store/index.js";
import { type SeedAccount, seedScores } from "./plays.js";
import { addUser } from "./team.js";

/**
 * A small world for the notification engine's tests: a CSM (and their
 * leader) owning seeded accounts, one playbook opening a play on every band,
 * the store seeded directly with settings, endpoints, channels and prefs,
 * and the engine's deps on a clock the test moves.
 */

export const BOX = secretBox("a-test-key-of-32-characters-long!");
export const PUBLIC_URL = "https://keepwell.example";
/** A Tuesday, 09:00 UTC. */
export const T0 = new Date("2026-03-10T09:00:00.000Z");
export const MIN = 60_000;
export const HOUR = 3_600_000;

/** One playbook every band triggers, owned by the account's CSM: severity comes from the band it opened on. */
export const EVERY_BAND_YAML = `playbooks:
  - key: check_in
    name: "Check in"
    tier: 1
    trigger: { band: [healthy, watch, at_risk, critical] }
    owner: owner
    due: 3d
    steps:
      - { key: call, title: Call the customer, due: 2d }
`;

export type Clock = { now: Date; advance(ms: number): Date; set(d: Date): Date };

export function clockAt(start: Date = T0): Clock {
  const c: Clock = {
    now: new Date(start),
    advance(ms) {
      c.now = new Date(c.now.getTime() + ms);
      return c.now;
    },
    set(d) {
      c.now = new Date(d);
      return c.now;
    },
  };
  return c;
}

export type Engine = NotifyDeps & { jobs?: JobQueue | undefined };

export function engine(db: Db, clock: Clock, jobs?: JobQueue): Engine {
  return { db, secrets: BOX, clock: () => clock.now, config: { publicUrl: PUBLIC_URL }, jobs };
}

export type World = { csm: User; lead: User; other: User };

/** Users (the CSM reports to the leader), and accounts owned by the CSM at these bands. */
export async function notifyWorld(db: Db, accounts: readonly SeedAccount[] = []): Promise<World> {
  const lead = await addUser(db, "leader", { email: "lead@team.example", name: "Lee Leader" });
  const csm = await addUser(db, "csm", {
    email: "casey@team.example",
    name: "Casey Smith",
    manager: lead.id,
  });
  const other = await addUser(db, "csm", { email: "olive@team.example", name: "Olive Other" });
  await savePlaybooks(db, await validatePlaybooks(db, EVERY_BAND_YAML), "api");
  if (accounts.length > 0) await seedScores(db, accounts, T0);
  return { csm, lead, other };
}

export const account = (id: string, band: SeedAccount["band"], over: Partial<SeedAccount> = {}) =>
  ({
    id,
    owner: "casey@team.example",
    score: { critical: 30, at_risk: 52, watch: 66, healthy: 85 }[band ?? "watch"],
    band,
    segment: "Enterprise",
    arr: 120_000,
    ...over,
  }) satisfies SeedAccount;

export async function setSmtp(db: Db, r: { host: string; port: number }): Promise<void> {
  const settings = {
    smtp: { host: r.host, port: r.port, security: "none", from: "Keepwell <alerts@keepwell.example>" },
  };
  await db.query(
    `INSERT INTO notification_settings (singleton, settings) VALUES (true, $1::jsonb)
     ON CONFLICT (singleton) DO UPDATE SET settings = notification_settings.settings || excluded.settings`,
    [JSON.stringify(settings)],
  );
}

export async function setTeam(
  db: Db,
  over: { budget_per_day?: number; digest_hour?: number },
): Promise<void> {
  await db.query(
    `INSERT INTO notification_settings (singleton, settings) VALUES (true, $1::jsonb)
     ON CONFLICT (singleton) DO UPDATE SET settings = notification_settings.settings || excluded.settings`,
    [JSON.stringify(over)],
  );
}

export async function addEndpoint(
  db: Db,
  url: string,
  eventTypes: string[] = [],
): Promise<{ id: string; secret: string }> {
  const id = newId("whk");
  const secret = newWebhookSecret();
  await db.query(
    "INSERT INTO webhook_endpoints (id, url, event_types, secret_sealed) VALUES ($1, $2, $3::text[], $4)",
    [id, url, eventTypes, BOX.seal(secret)],
  );
  return { id, secret };
}

export async function addChannel(db: Db, name: string, url: string): Promise<string> {
  const id = newId("slk");
  await db.query("INSERT INTO slack_channels (id, name, url_sealed) VALUES ($1, $2, $3)", [
    id,
    name,
    BOX.seal(url),
  ]);
  return id;
}

export type Prefs = {
  email?: boolean;
  slack_url?: string;
  mode?: "default" | "immediate" | "digest";
  digest_hour?: number;
  quiet?: [number, number];
  budget_per_day?: number;
};

export async function setPrefs(db: Db, user: string, p: Prefs, timeZone?: string): Promise<void> {
  await db.query(
    `INSERT INTO notification_prefs (user_id, email, slack, slack_url_sealed, mode, digest_hour, quiet_start, quiet_end,
                                     budget_per_day)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      user,
      p.email ?? true,
      p.slack_url !== undefined,
      p.slack_url === undefined ? null : BOX.seal(p.slack_url),
      p.mode ?? "default",
      p.digest_hour ?? null,
      p.quiet?.[0] ?? null,
      p.quiet?.[1] ?? null,
      p.budget_per_day ?? null,
    ],
  );
  if (timeZone) await db.query("UPDATE users SET time_zone = $2 WHERE id = $1", [user, timeZone]);
}

export async function subscribe(
  db: Db,
  to: { user?: string; channel?: string },
  scope: "account" | "segment" | "band" | "event",
  value: string,
  eventTypes: string[] = [],
): Promise<void> {
  await db.query(
    `INSERT INTO notify_subscriptions (id, user_id, channel_id, scope, value, event_types)
     VALUES ($1, $2, $3, $4, $5, $6::text[])`,
    [newId("sub"), to.user ?? null, to.channel ?? null, scope, value, eventTypes],
  );
}

/** An account event in the outbox, as the scoring run writes one. */
export async function accountEvent(
  db: Db,
  type: string,
  accountId: string,
  detail: object,
  at: Date,
): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO notify_events (type, at, account, subject, detail) VALUES ($1, $2, $3, $3, $4::jsonb) RETURNING id`,
    [type, at.toISOString(), accountId, JSON.stringify(detail)],
  );
  return Number(row?.id);
}

export type DeliveryRow = {
  id: string;
  channel: string;
  alert_id: string | null;
  digest_id: string | null;
  endpoint_id: string | null;
  slack_channel_id: string | null;
  user_id: string | null;
  event_type: string;
  target: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  body: Record<string, unknown>;
};

export async function deliveries(db: Db, where = "true", params: unknown[] = []): Promise<DeliveryRow[]> {
  return db.query<DeliveryRow>(
    `SELECT * FROM deliveries WHERE ${where} ORDER BY created_at, channel, id`,
    params,
  );
}

export type AlertRow = {
  id: string;
  recipient_user: string | null;
  recipient_channel: string | null;
  event_type: string;
  account: string;
  play_id: string | null;
  severity: string;
  delivery: string;
  delivery_reason: string | null;
  title: string;
  occurrences: number;
  digest_id: string | null;
};

export async function alerts(db: Db): Promise<AlertRow[]> {
  return db.query<AlertRow>("SELECT * FROM alerts ORDER BY account, event_type, id");
}

/** Delivers every message due at the engine's clock (what the jobs would), once. */
export async function deliverDue(e: Engine): Promise<DeliverySummary> {
  const due = await e.db.query<{ id: string }>(
    "SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id",
    [e.clock().toISOString()],
  );
  return deliverDeliveries(
    e,
    due.map((d) => d.id),
  );
}

export async function attempts(
  db: Db,
  id: string,
): Promise<{ n: number; started_at: string; status: number | null; error: string | null }[]> {
  return db.query(
    "SELECT n, started_at, status, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY n",
    [id],
  );
}

/** Closes the pooled SMTP and HTTP connections the engine opened. */
export async function closeChannels(): Promise<void> {
  closeMailers();
  await closeHttpAgent();
}
