import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { routePendingEvents } from "../src/notify/index.js";
import { escalatePlays, evaluatePlaybooks } from "../src/playbooks/index.js";
import { writePlayEvents } from "../src/playbooks/play-events.js";
import type { Db } from "../src/store/index.js";
import { storeName } from "./helpers/db.js";
import { notifySuite } from "./helpers/notify-suite.js";
import {
  account,
  accountEvent,
  addChannel,
  addEndpoint,
  alerts,
  type Clock,
  deliverDue,
  deliveries,
  type Engine,
  notifyWorld,
  PUBLIC_URL,
  setPrefs,
  setSmtp,
  subscribe,
  T0,
  type World,
} from "./helpers/notify-world.js";
import type { HttpReceiver, SmtpReceiver } from "./helpers/receivers.js";

const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql))[0]?.n;

describe(`routing events into alerts and messages (${storeName})`, () => {
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let db: Db;
  let clock: Clock;
  let e: Engine;
  let w: World;

  const suite = notifySuite();
  beforeEach(async () => {
    ({ smtp, http, db, clock, e } = suite);
  });
  afterEach(async () => db.close());

  const open = async (accounts: ReturnType<typeof account>[]) => {
    w = await notifyWorld(db, accounts);
    await setSmtp(db, smtp);
    await evaluatePlaybooks(db, { now: clock.now });
  };

  it("writes play events in the evaluation's transaction: a rolled-back evaluation leaves none", async () => {
    w = await notifyWorld(db, [account("a1", "critical"), account("a2", "watch")]);
    await db.exec(`CREATE FUNCTION kw_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'step refused'; END $$;
      CREATE TRIGGER kw_fail BEFORE INSERT ON play_steps FOR EACH ROW EXECUTE FUNCTION kw_fail();`);
    await expect(evaluatePlaybooks(db, { now: T0 })).rejects.toThrow(/step refused/);
    expect(await count(db, "SELECT count(*)::int AS n FROM plays")).toBe(0);
    expect(await count(db, "SELECT count(*)::int AS n FROM notify_events")).toBe(0);
    await db.exec("DROP TRIGGER kw_fail ON play_steps");
    await evaluatePlaybooks(db, { now: T0 });
    const events = await db.query<{ type: string; subject: string; play_id: string; account: string }>(
      "SELECT type, subject, play_id, account FROM notify_events ORDER BY account",
    );
    const plays = await db.query<{ id: string }>("SELECT id FROM plays ORDER BY account");
    expect(events.map((x) => [x.type, x.account, x.subject])).toEqual([
      ["play.opened", "a1", plays[0]?.id],
      ["play.opened", "a2", plays[1]?.id],
    ]);
  });

  it("a play opening tells its owner in the app, by email, on Slack, and calls a signed webhook", async () => {
    await open([account("a1", "critical", { history: { "2026-02-01": 45 } })]);
    await setPrefs(db, w.csm.id, { slack_url: `${http.url}/slack/T1/B1/secret` });
    const hook = await addEndpoint(db, `${http.url}/hook?token=abc`);
    expect(await routePendingEvents(e)).toMatchObject({ events: 1, alerts: 1, messages: 2, webhooks: 1 });
    const [alert] = await alerts(db);
    expect(alert).toMatchObject({
      recipient_user: w.csm.id,
      event_type: "play.opened",
      account: "a1",
      severity: "critical",
      delivery: "immediate",
      title: "Critical play opened: Account a1 — Check in",
      occurrences: 1,
    });
    const rows = await deliveries(db);
    expect(rows.map((d) => [d.channel, d.target, d.state])).toEqual([
      ["email", "casey@team.example", "pending"],
      ["slack", "Slack: Casey Smith", "pending"],
      ["webhook", `${http.url}/hook`, "pending"],
    ]);
    expect(await deliverDue(e)).toEqual({ attempted: 3, delivered: 3, retrying: 0, dead: 0 });

    const [mail] = await smtp.waitFor(1);
    expect(mail?.to).toEqual(["casey@team.example"]);
    expect(mail?.subject).toBe("Critical play opened: Account a1 — Check in");
    expect(mail?.messageId).toBe(`<${rows[0]?.id}@keepwell>`);
    for (const part of [mail?.text, mail?.html]) {
      expect(part).toContain("Account a1");
      expect(part).toContain("critical");
      expect(part).toContain("30, down 15 in 30 days");
      expect(part).toContain(`${PUBLIC_URL}/accounts/a1`);
      expect(part).toContain("Check in by Fri 13 Mar, 09:00 UTC");
    }

    const slack = http.requests.find((r) => r.path.startsWith("/slack/"));
    const posted = JSON.parse(slack?.body ?? "{}") as { text: string; blocks: Record<string, unknown>[] };
    expect(slack?.path).toBe("/slack/T1/B1/secret");
    expect(posted.text).toContain("Critical play opened: Account a1");
    expect(posted.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(JSON.stringify(posted.blocks[1])).toContain("*Band*\\ncritical");
    expect(posted.blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "open_account",
          text: { type: "plain_text", text: "Open account" },
          url: `${PUBLIC_URL}/accounts/a1`,
        },
      ],
    });

    const call = http.requests.find((r) => r.path.startsWith("/hook"));
    expect(call?.path).toBe("/hook?token=abc");
    expect(call?.headers["webhook-id"]).toBe(rows[2]?.id);
    vi.useFakeTimers({ toFake: ["Date"], now: clock.now });
    let payload: { type?: string; data?: { account: { id: string }; play: { due_at: string } } };
    try {
      payload = new Webhook(hook.secret).verify(
        call?.body ?? "",
        call?.headers as Record<string, string>,
      ) as typeof payload;
      expect(() =>
        new Webhook(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`).verify(
          call?.body ?? "",
          call?.headers as Record<string, string>,
        ),
      ).toThrow();
    } finally {
      vi.useRealTimers();
    }
    expect(payload).toMatchObject({ type: "play.opened", data: { account: { id: "a1" } } });
    expect(payload.data?.play.due_at).toBe("2026-03-13T09:00:00.000Z");
    expect(await count(db, "SELECT count(*)::int AS n FROM notify_events WHERE routed_at IS NULL")).toBe(0);
  });

  it("re-firing the same play adds an occurrence to its alert and sends nothing more", async () => {
    await open([account("a1", "at_risk")]);
    await routePendingEvents(e);
    await deliverDue(e);
    const [play] = await db.query<{ id: string }>("SELECT id FROM plays");
    clock.advance(3_600_000);
    await db.transaction((tx) =>
      writePlayEvents(tx, [{ play_id: play?.id as string, kind: "recurred", detail: {} }], clock.now),
    );
    expect(await routePendingEvents(e)).toMatchObject({ events: 1, alerts: 0, bumped: 1, messages: 0 });
    expect((await alerts(db)).map((a) => a.occurrences)).toEqual([2]);
    expect(await deliveries(db)).toHaveLength(1);
    expect(await deliverDue(e)).toMatchObject({ attempted: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it("critical and at-risk plays go at once, watch and healthy wait for the digest", async () => {
    await open([
      account("c", "critical"),
      account("r", "at_risk"),
      account("w", "watch"),
      account("h", "healthy"),
    ]);
    await routePendingEvents(e);
    expect((await alerts(db)).map((a) => [a.account, a.severity, a.delivery, a.delivery_reason])).toEqual([
      ["c", "critical", "immediate", null],
      ["h", "healthy", "digest", "severity"],
      ["r", "at_risk", "immediate", null],
      ["w", "watch", "digest", "severity"],
    ]);
    const mails = await deliveries(db);
    expect(mails.map((d) => d.body.subject).sort()).toEqual([
      "At-risk play opened: Account r — Check in",
      "Critical play opened: Account c — Check in",
    ]);
  });

  it("the 21st immediate alert of the day goes to the digest, for the budget", async () => {
    const many = Array.from({ length: 20 }, (_, i) => account(`b${String(i).padStart(2, "0")}`, "critical"));
    await open(many);
    expect(await routePendingEvents(e)).toMatchObject({ alerts: 20, messages: 20 });
    clock.advance(3_600_000);
    await accountEvent(db, "account.flagged", "b00", { probability: 0.7, threshold: 0.5 }, clock.now);
    expect(await routePendingEvents(e)).toMatchObject({ alerts: 1, messages: 0 });
    const flagged = (await alerts(db)).filter((a) => a.event_type === "account.flagged");
    expect(flagged.map((a) => [a.delivery, a.delivery_reason])).toEqual([["digest", "budget"]]);
    // The next local day starts a new budget.
    clock.advance(24 * 3_600_000);
    await accountEvent(db, "account.flagged", "b01", { probability: 0.7 }, clock.now);
    expect(await routePendingEvents(e)).toMatchObject({ alerts: 1, messages: 1 });
  });

  it("a watch play waits for the digest when it opens, but its going overdue is told at once", async () => {
    await open([account("w", "watch")]);
    await routePendingEvents(e);
    expect(await deliveries(db)).toHaveLength(0);
    clock.advance(3 * 86_400_000 + 60_000);
    expect(await escalatePlays(db, clock.now)).toMatchObject({ overdue: 1 });
    expect(await routePendingEvents(e)).toMatchObject({ events: 1, alerts: 1, messages: 1 });
    await deliverDue(e);
    const [mail] = await smtp.waitFor(1);
    expect(mail?.subject).toBe("Overdue: Account w — Check in");
    // Announced once: a second run finds nothing new.
    expect(await escalatePlays(db, clock.advance(3_600_000))).toMatchObject({ overdue: 0 });
  });

  it("quiet hours hold a message until they end on the user's clock", async () => {
    await open([account("a1", "critical")]);
    // 09:00 UTC is 05:00 in New York (EDT since 8 March): quiet until 07:00 there, 11:00 UTC.
    await setPrefs(db, w.csm.id, { quiet: [22 * 60, 7 * 60] }, "America/New_York");
    await routePendingEvents(e);
    const [mail] = await deliveries(db);
    expect(new Date(mail?.next_attempt_at as string).toISOString()).toBe("2026-03-10T11:00:00.000Z");
    expect(await deliverDue(e)).toMatchObject({ attempted: 0 });
    clock.set(new Date("2026-03-10T11:00:00.000Z"));
    expect(await deliverDue(e)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(smtp.messages).toHaveLength(1);
  });

  it("subscriptions tell followers of an account, a segment, a band, an event type, and a Slack channel", async () => {
    await open([
      account("a1", "critical"),
      account("a2", "watch", { segment: "SMB" }),
      account("a3", "at_risk"),
    ]);
    const ops = await addChannel(db, "#cs-alerts", `${http.url}/slack/ops`);
    await subscribe(db, { user: w.other.id }, "account", "a3");
    await subscribe(db, { user: w.lead.id }, "segment", "SMB");
    await subscribe(db, { user: w.lead.id }, "band", "critical", ["play.closed"]);
    await subscribe(db, { channel: ops }, "band", "critical", ["play.opened"]);
    await subscribe(db, { user: w.other.id }, "event", "account.flagged");
    await accountEvent(db, "account.flagged", "a1", { probability: 0.8 }, T0);
    await routePendingEvents(e);
    const got = (await alerts(db)).map((a) => [
      a.account,
      a.event_type,
      a.recipient_user ?? a.recipient_channel,
    ]);
    expect(got.sort()).toEqual(
      [
        ["a1", "account.flagged", w.csm.id],
        ["a1", "account.flagged", w.other.id],
        ["a1", "play.opened", w.csm.id],
        ["a1", "play.opened", ops],
        ["a2", "play.opened", w.csm.id],
        ["a2", "play.opened", w.lead.id],
        ["a3", "play.opened", w.csm.id],
        ["a3", "play.opened", w.other.id],
      ].sort(),
    );
    const toChannel = await deliveries(db, "slack_channel_id = $1", [ops]);
    expect(toChannel.map((d) => [d.channel, d.target])).toEqual([["slack", "#cs-alerts"]]);
    await deliverDue(e);
    const post = http.requests.find((r) => r.path === "/slack/ops");
    expect(JSON.parse(post?.body ?? "{}").text).toContain("Critical play opened: Account a1");
  });

  it("a held-out play announces nothing", async () => {
    await open([account("a1", "critical"), account("a2", "critical")]);
    await addEndpoint(db, `${http.url}/hook`);
    const [held] = await db.query<{ id: string }>(
      "UPDATE plays SET arm = 'holdout' WHERE account = 'a1' RETURNING id",
    );
    expect(await routePendingEvents(e)).toMatchObject({ events: 2, alerts: 1, webhooks: 1 });
    expect((await alerts(db)).map((a) => a.account)).toEqual(["a2"]);
    expect((await deliveries(db)).every((d) => !JSON.stringify(d.body).includes(held?.id as string))).toBe(
      true,
    );
    // Its later history is not even written to the outbox.
    await db.transaction((tx) =>
      writePlayEvents(tx, [{ play_id: held?.id as string, kind: "overdue", detail: {} }], T0),
    );
    expect(await count(db, "SELECT count(*)::int AS n FROM notify_events WHERE routed_at IS NULL")).toBe(0);
  });

  it("two routers at once route each event once", async () => {
    await open(Array.from({ length: 6 }, (_, i) => account(`p${i}`, "critical")));
    await addEndpoint(db, `${http.url}/hook`);
    const [x, y] = await Promise.all([routePendingEvents(e), routePendingEvents(e)]);
    expect((x?.events ?? 0) + (y?.events ?? 0)).toBe(6);
    const list = await alerts(db);
    expect(list.map((a) => a.occurrences)).toEqual([1, 1, 1, 1, 1, 1]);
    const rows = await deliveries(db);
    expect(rows.filter((d) => d.channel === "email")).toHaveLength(6);
    expect(rows.filter((d) => d.channel === "webhook")).toHaveLength(6);
  });
});
