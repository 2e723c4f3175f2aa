import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { secretBox } from "../src/auth/index.js";
import { MAX_ATTEMPTS, RETRY_SCHEDULE_S } from "../src/domain/notify/index.js";
import { JOBS, JobQueue, startWorkers } from "../src/jobs/index.js";
import { newWebhookSecret } from "../src/notify/channels/index.js";
import { LEASE_MS } from "../src/notify/deliver.js";
import { deliverDeliveries, notifySweep, requeueOverdue, routePendingEvents } from "../src/notify/index.js";
import type { Db } from "../src/store/index.js";
import { storeName } from "./helpers/db.js";
import { notifySuite } from "./helpers/notify-suite.js";
import {
  account,
  accountEvent,
  addEndpoint,
  attempts,
  BOX,
  type Clock,
  type DeliveryRow,
  deliverDue,
  deliveries,
  type Engine,
  HOUR,
  MIN,
  notifyWorld,
  PUBLIC_URL,
  setSmtp,
  T0,
} from "./helpers/notify-world.js";
import type { HttpReceiver, SmtpReceiver } from "./helpers/receivers.js";

const flagged = { probability: 0.7, probability_before: 0.3, threshold: 0.5, horizon_days: 90 };

describe(`delivering messages: retries, dead letters, reconcile (${storeName})`, () => {
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let db: Db;
  let clock: Clock;
  let e: Engine;

  const suite = notifySuite();
  beforeEach(async () => {
    ({ smtp, http, db, clock, e } = suite);
    await notifyWorld(db, [
      account("a1", "at_risk", { score: 52.3, churn_probability: 0.7 }),
      account("a2", "at_risk"),
      account("a3", "watch"),
    ]);
  });
  afterEach(async () => {
    await http.up();
    await db.close();
  });

  /** Webhook deliveries of account.flagged events on these accounts, routed at the clock's time. */
  const webhooks = async (accounts: string[], eventTypes: string[] = []) => {
    const hook = await addEndpoint(db, `${http.url}/hook`, eventTypes);
    for (const a of accounts) await accountEvent(db, "account.flagged", a, flagged, clock.now);
    await routePendingEvents(e);
    return { hook, rows: await deliveries(db, "channel = 'webhook'") };
  };
  const row = async (id: string): Promise<DeliveryRow> =>
    (await deliveries(db, "id = $1", [id]))[0] as DeliveryRow;
  /** What the sweep would do once the message is due: queue it again, and a worker delivers it. */
  const nextRound = async (id: string) => {
    const next = new Date((await row(id)).next_attempt_at as string);
    clock.set(new Date(next.getTime() + 30_000));
    const ids = await requeueOverdue(e);
    expect(ids).toContain(id);
    return deliverDeliveries(e, ids);
  };

  it("500, 500, 500 then 200: delivered once after 4 attempts on the schedule, the same webhook-id each time", async () => {
    const { rows } = await webhooks(["a1"]);
    const id = rows[0]?.id as string;
    http.respond([{ status: 500 }, { status: 500 }, { status: 500 }]);
    expect(await deliverDue(e)).toMatchObject({ attempted: 1, retrying: 1 });
    for (let k = 1; k <= 3; k++) {
      const before = await row(id);
      expect(before).toMatchObject({ state: "pending", attempts: k, last_status: 500 });
      const wait = new Date(before.next_attempt_at as string).getTime() - clock.now.getTime();
      const s = RETRY_SCHEDULE_S[k - 1] as number;
      expect(wait).toBeGreaterThanOrEqual(s * 900);
      expect(wait).toBeLessThanOrEqual(s * 1100);
      await nextRound(id);
    }
    expect(await row(id)).toMatchObject({ state: "delivered", attempts: 4, last_status: 200 });
    expect(http.requests).toHaveLength(4);
    expect(new Set(http.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([id]));
    expect(new Set(http.requests.map((r) => r.body)).size).toBe(1);
    const tries = await attempts(db, id);
    expect(tries.map((t) => t.status)).toEqual([500, 500, 500, 200]);
    expect(new Date(tries[0]?.started_at as string).toISOString()).toBe(T0.toISOString());
    // Nothing more goes out for it.
    clock.advance(86_400_000);
    expect(await requeueOverdue(e)).toEqual([]);
  });

  it("a receiver down for the whole schedule: dead after MAX_ATTEMPTS with the last error, none lost", async () => {
    const { rows } = await webhooks(["a1", "a2", "a3"]);
    await http.down();
    await deliverDue(e);
    for (let k = 1; k < MAX_ATTEMPTS; k++) {
      const due = await deliveries(db, "state = 'pending'");
      expect(due).toHaveLength(3);
      const last = Math.max(...due.map((d) => new Date(d.next_attempt_at as string).getTime()));
      clock.set(new Date(last + 30_000));
      const ids = await requeueOverdue(e);
      expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
      await deliverDeliveries(e, ids);
    }
    const after = await deliveries(db, "channel = 'webhook'");
    expect(after.map((d) => [d.state, d.attempts])).toEqual(Array(3).fill(["dead", MAX_ATTEMPTS]));
    for (const d of after) {
      expect(d.last_error).toContain(`no answer after ${MAX_ATTEMPTS} attempts`);
      expect(d.last_error).toContain("127.0.0.1");
      expect((await attempts(db, d.id)).every((t) => t.error !== null && t.status === null)).toBe(true);
    }
    const span = (clock.now.getTime() - T0.getTime()) / 1000;
    const total = RETRY_SCHEDULE_S.reduce((a, b) => a + b, 0);
    expect(span).toBeGreaterThan(total * 0.9);
    expect(span).toBeLessThan(total * 1.1 + MAX_ATTEMPTS * 30);
    expect(http.requests).toHaveLength(0);
  });

  it("400 is dead at once; 410 disables the endpoint and cancels its other pending messages", async () => {
    const { hook, rows } = await webhooks(["a1", "a2", "a3"]);
    const [a, b, c] = rows.map((r) => r.id) as [string, string, string];
    http.respond([{ status: 400, body: "bad payload" }, { status: 410 }]);
    await deliverDeliveries(e, [a]);
    expect(await row(a)).toMatchObject({ state: "dead", attempts: 1, last_status: 400 });
    expect((await row(a)).last_error).toContain("answered 400: not retried");
    await deliverDeliveries(e, [b]);
    expect(await row(b)).toMatchObject({ state: "dead", last_status: 410 });
    expect(await row(c)).toMatchObject({ state: "cancelled", attempts: 0 });
    const [ep] = await db.query<{ disabled_at: string | null; disabled_reason: string }>(
      "SELECT disabled_at, disabled_reason FROM webhook_endpoints WHERE id = $1",
      [hook.id],
    );
    expect(ep?.disabled_at).not.toBeNull();
    expect(ep?.disabled_reason).toContain("410");
    expect(await deliverDeliveries(e, [c])).toMatchObject({ attempted: 0 });
    // A disabled endpoint is not routed to any more.
    await accountEvent(db, "account.flagged", "a1", flagged, clock.advance(MIN));
    expect(await routePendingEvents(e)).toMatchObject({ events: 1, webhooks: 0 });
  });

  it("honours Retry-After", async () => {
    const { rows } = await webhooks(["a1"]);
    http.respond([{ status: 429, headers: { "retry-after": "120" } }]);
    await deliverDue(e);
    const d = await row(rows[0]?.id as string);
    expect(d).toMatchObject({ state: "pending", last_status: 429 });
    expect(new Date(d.next_attempt_at as string).toISOString()).toBe(
      new Date(T0.getTime() + 120_000).toISOString(),
    );
  });

  it("an endpoint hears only its event types", async () => {
    const { rows } = await webhooks(["a1"], ["play.opened"]);
    expect(rows).toHaveLength(0);
  });

  it("two workers given the same messages send each once; a rotated secret signs beside the new one", async () => {
    const { hook, rows } = await webhooks(["a1", "a2", "a3"]);
    const old = newWebhookSecret();
    await db.query(
      "UPDATE webhook_endpoints SET previous_secret_sealed = $2, previous_secret_until = $3 WHERE id = $1",
      [hook.id, BOX.seal(old), new Date(T0.getTime() + HOUR).toISOString()],
    );
    const ids = rows.map((r) => r.id);
    const [x, y] = await Promise.all([deliverDeliveries(e, ids), deliverDeliveries(e, ids)]);
    expect((x?.delivered ?? 0) + (y?.delivered ?? 0)).toBe(3);
    expect(http.requests.map((r) => r.headers["webhook-id"]).sort()).toEqual([...ids].sort());
    const req = http.requests[0];
    expect(String(req?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    try {
      for (const secret of [hook.secret, old])
        expect(
          new Webhook(secret).verify(req?.body ?? "", req?.headers as Record<string, string>),
        ).toMatchObject({
          type: "account.flagged",
        });
    } finally {
      vi.useRealTimers();
    }
    const a1 = http.requests.map((r) => JSON.parse(r.body)).find((b) => b.data.account.id === "a1");
    expect(a1.data.score).toMatchObject({ score: 52.3, band: "at_risk", churn_probability: 0.7 });
  });

  it("SMTP 451 then accepted: the email is delivered on the retry; 550 is dead at once", async () => {
    await setSmtp(db, smtp);
    await accountEvent(db, "account.flagged", "a1", flagged, T0);
    await routePendingEvents(e);
    const [mail] = await deliveries(db, "channel = 'email'");
    smtp.refuseNext(1, 451, "Greylisted, try again");
    await deliverDue(e);
    expect(await row(mail?.id as string)).toMatchObject({ state: "pending", attempts: 1, last_status: 451 });
    expect(smtp.messages).toHaveLength(0);
    await nextRound(mail?.id as string);
    expect(await row(mail?.id as string)).toMatchObject({
      state: "delivered",
      attempts: 2,
      last_status: 250,
    });
    expect(smtp.messages.map((m) => m.messageId)).toEqual([`<${mail?.id}@keepwell>`]);

    await accountEvent(db, "account.flagged", "a2", flagged, clock.now);
    await routePendingEvents(e);
    const [second] = await deliveries(db, "channel = 'email' AND state = 'pending'");
    smtp.refuseNext(1, 550, "No such user");
    await deliverDue(e);
    expect(await row(second?.id as string)).toMatchObject({ state: "dead", attempts: 1, last_status: 550 });
  });

  it("an SMTP password that cannot be opened fails the attempt instead of stranding the email as sending", async () => {
    await setSmtp(db, smtp);
    // Sealed under a key this server does not have (KEEPWELL_SECRET_KEY changed).
    const sealed = secretBox("another-key-of-32-characters-long").seal("pw");
    await db.query("UPDATE notification_settings SET smtp_password = $1", [sealed]);
    await accountEvent(db, "account.flagged", "a1", flagged, T0);
    await routePendingEvents(e);
    const [mail] = await deliveries(db, "channel = 'email'");
    expect(await deliverDue(e)).toMatchObject({ attempted: 1, retrying: 1 });
    const d = await row(mail?.id as string);
    expect(d.state).toBe("pending");
    expect(d.last_error).toContain("the SMTP settings could not be read");
    expect(d.last_error).toContain("KEEPWELL_SECRET_KEY");
    expect(await deliveries(db, "state = 'sending'")).toHaveLength(0);
  });

  it("reconciles a worker that died mid-send: the webhook again with the same id, the email uncertain", async () => {
    await setSmtp(db, smtp);
    const { rows } = await webhooks(["a1"]);
    const [mail] = await deliveries(db, "channel = 'email'");
    const hookId = rows[0]?.id as string;
    // What a claim leaves when the worker dies before it records the answer.
    await db.query(
      `WITH c AS (UPDATE deliveries SET state = 'sending', attempts = 1, lease_until = $2 WHERE id = ANY($1::text[]) RETURNING id)
       INSERT INTO delivery_attempts (delivery_id, n, started_at) SELECT id, 1, $3 FROM c`,
      [[hookId, mail?.id], new Date(T0.getTime() + LEASE_MS).toISOString(), T0.toISOString()],
    );
    clock.advance(LEASE_MS - MIN);
    expect(await notifySweep(e)).toMatchObject({ resent: 0, uncertain: 0 });
    clock.advance(2 * MIN);
    expect(await notifySweep(e)).toMatchObject({ resent: 1, uncertain: 1 });
    expect(await row(mail?.id as string)).toMatchObject({ state: "uncertain", attempts: 1 });
    expect((await row(mail?.id as string)).last_error).toContain("not sent again");
    expect((await attempts(db, hookId))[0]?.error).toContain("interrupted");
    expect(await deliverDue(e)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(http.requests.map((r) => r.headers["webhook-id"])).toEqual([hookId]);
    expect(await row(hookId)).toMatchObject({ state: "delivered", attempts: 2 });
    clock.advance(86_400_000);
    await notifySweep(e);
    expect(await deliverDue(e)).toMatchObject({ attempted: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  it("runs through the real workers: evaluate, route, deliver", async () => {
    await setSmtp(db, smtp);
    await addEndpoint(db, `${http.url}/hook`);
    const jobs = await JobQueue.open(db);
    await jobs.send(JOBS.evaluatePlaybooks, { as_of: T0.toISOString(), accounts: ["a1", "a2"] });
    await startWorkers({ db, jobs, clock: () => T0, secrets: BOX, config: { publicUrl: PUBLIC_URL } });
    jobs.wake(JOBS.evaluatePlaybooks);
    try {
      await smtp.waitFor(2, 20_000);
      await http.waitFor(2, 20_000);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const open = await deliveries(db, "state <> 'delivered'");
        if (open.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await jobs.stop();
    }
    const all = await deliveries(db);
    expect(all.map((d) => [d.channel, d.state]).sort()).toEqual([
      ["email", "delivered"],
      ["email", "delivered"],
      ["webhook", "delivered"],
      ["webhook", "delivered"],
    ]);
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
      "At-risk play opened: Account a1 — Check in",
      "At-risk play opened: Account a2 — Check in",
    ]);
    expect(http.requests.map((r) => JSON.parse(r.body).type)).toEqual(["play.opened", "play.opened"]);
  });
});
