import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { routePendingEvents, writeDueDigests } from "../src/notify/index.js";
import { evaluatePlaybooks } from "../src/playbooks/index.js";
import type { Db } from "../src/store/index.js";
import { storeName } from "./helpers/db.js";
import { notifySuite } from "./helpers/notify-suite.js";
import {
  account,
  accountEvent,
  addChannel,
  alerts,
  type Clock,
  deliverDue,
  deliveries,
  type Engine,
  notifyWorld,
  setPrefs,
  setSmtp,
  setTeam,
  subscribe,
  T0,
  type World,
} from "./helpers/notify-world.js";
import type { HttpReceiver, SmtpReceiver } from "./helpers/receivers.js";

const bandMove = { band_before: "healthy", band_after: "watch", score_before: 78, score_after: 66 };
const at = (iso: string) => new Date(iso);

describe(`digests (${storeName})`, () => {
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let db: Db;
  let clock: Clock;
  let e: Engine;
  let w: World;

  const suite = notifySuite();
  beforeEach(async () => {
    ({ smtp, http, db, clock, e } = suite);
    w = await notifyWorld(db, [account("a1", "watch"), account("a2", "healthy"), account("a3", "watch")]);
    await setSmtp(db, smtp);
    // 08:00 in Paris is 07:00 UTC in March (CET).
    await setPrefs(db, w.csm.id, { digest_hour: 8 }, "Europe/Paris");
  });
  afterEach(async () => db.close());

  const digestsOf = (user: string) =>
    db.query<{ id: string; alerts: number; created_at: string }>(
      "SELECT id, alerts, created_at FROM digests WHERE recipient_user = $1 ORDER BY created_at",
      [user],
    );

  it("at the user's digest hour: one email grouping the waiting alerts by account, each alert joining it", async () => {
    await evaluatePlaybooks(db, { now: T0 });
    await accountEvent(db, "account.band_changed", "a1", bandMove, T0);
    await routePendingEvents(e);
    const waiting = await alerts(db);
    expect(waiting.map((a) => [a.account, a.delivery, a.delivery_reason])).toEqual([
      ["a1", "digest", "severity"],
      ["a1", "digest", "severity"],
      ["a2", "digest", "severity"],
      ["a3", "digest", "severity"],
    ]);
    expect(await deliveries(db)).toHaveLength(0);
    // The alerts came after today's 08:00 in Paris: they wait for tomorrow's.
    expect(await writeDueDigests(e)).toBe(0);
    clock.set(at("2026-03-11T06:59:00Z"));
    expect(await writeDueDigests(e)).toBe(0);
    clock.set(at("2026-03-11T07:00:00Z"));
    expect(await writeDueDigests(e)).toBe(1);
    const [digest] = await digestsOf(w.csm.id);
    expect(digest?.alerts).toBe(4);
    expect(new Set((await alerts(db)).map((a) => a.digest_id))).toEqual(new Set([digest?.id]));
    const sent = await deliveries(db);
    expect(sent.map((d) => [d.channel, d.target, d.digest_id, d.event_type])).toEqual([
      ["email", "casey@team.example", digest?.id, "digest"],
    ]);
    expect(await deliverDue(e)).toMatchObject({ attempted: 1, delivered: 1 });
    const [mail] = await smtp.waitFor(1);
    expect(mail?.subject).toMatch(/^Keepwell digest: /);
    expect(mail?.text).toContain("Your Keepwell digest for Wed 11 Mar 2026");
    const text = mail?.text ?? "";
    // By account: the two watch accounts by name, then the healthy one; a1's two alerts under its heading.
    const pos = (s: string) => {
      expect(text).toContain(s);
      return text.indexOf(s);
    };
    const [g1, g3, g2] = ["== Account a1", "== Account a3", "== Account a2"].map(pos) as number[];
    expect(g1).toBeLessThan(g3 as number);
    expect(g3).toBeLessThan(g2 as number);
    for (const item of [
      "- Watch play opened: Account a1 — Check in",
      "- Account a1 moved from healthy to watch",
    ]) {
      expect(pos(item)).toBeGreaterThan(g1 as number);
      expect(pos(item)).toBeLessThan(g3 as number);
    }
    expect(text.split("== Account a1").length).toBe(2);
    expect(mail?.html).toContain("Account a3");
    // Nothing waits any more: no second digest.
    clock.set(at("2026-03-12T07:00:00Z"));
    expect(await writeDueDigests(e)).toBe(0);
  });

  it("an alert after a day's digest hour waits for the next day's digest, even when that day had none", async () => {
    await accountEvent(db, "account.band_changed", "a1", bandMove, T0);
    await routePendingEvents(e);
    clock.set(at("2026-03-11T07:00:00Z"));
    expect(await writeDueDigests(e)).toBe(1);
    // 12 March: the digest hour passes with nothing waiting; an alert comes in the afternoon.
    clock.set(at("2026-03-12T07:01:00Z"));
    expect(await writeDueDigests(e)).toBe(0);
    clock.set(at("2026-03-12T13:00:00Z"));
    await accountEvent(db, "account.band_changed", "a3", bandMove, clock.now);
    await routePendingEvents(e);
    clock.set(at("2026-03-12T13:01:00Z"));
    expect(await writeDueDigests(e)).toBe(0);
    clock.set(at("2026-03-13T07:00:00Z"));
    // Two sweeps at once: the alerts join one digest.
    const [x, y] = await Promise.all([writeDueDigests(e), writeDueDigests(e)]);
    expect((x ?? 0) + (y ?? 0)).toBe(1);
    expect((await digestsOf(w.csm.id)).map((d) => new Date(d.created_at).toISOString())).toEqual([
      "2026-03-11T07:00:00.000Z",
      "2026-03-13T07:00:00.000Z",
    ]);
  });

  it("a digest-mode user's critical alert waits too; a Slack channel's digest comes at the team's hour in UTC", async () => {
    await db.query("DELETE FROM notification_prefs");
    await setPrefs(db, w.csm.id, { mode: "digest" });
    await setTeam(db, { digest_hour: 6 });
    const ops = await addChannel(db, "#cs-digest", `${http.url}/slack/digest`);
    await subscribe(db, { channel: ops }, "band", "watch");
    await db.query("UPDATE current_scores SET band = 'critical', score = 30 WHERE account = 'a2'");
    await evaluatePlaybooks(db, { now: T0 });
    await routePendingEvents(e);
    const list = await alerts(db);
    expect(list.find((a) => a.account === "a2" && a.recipient_user)).toMatchObject({
      severity: "critical",
      delivery: "digest",
      delivery_reason: "mode",
    });
    expect(list.filter((a) => a.recipient_channel === ops).map((a) => a.account)).toEqual(["a1", "a3"]);
    clock.set(at("2026-03-11T06:00:00Z"));
    expect(await writeDueDigests(e)).toBe(2);
    expect((await deliveries(db)).map((d) => [d.channel, d.target]).sort()).toEqual([
      ["email", "casey@team.example"],
      ["slack", "#cs-digest"],
    ]);
    await deliverDue(e);
    const [post] = await http.waitFor(1);
    expect(post?.path).toBe("/slack/digest");
    const body = JSON.parse(post?.body ?? "{}") as { text: string; blocks: unknown[] };
    expect(JSON.stringify(body.blocks)).toContain("Account a1");
    expect(JSON.stringify(body.blocks)).toContain("Account a3");
    expect(JSON.stringify(body.blocks)).not.toContain("Account a2");
    const [mail] = await smtp.waitFor(1);
    expect(mail?.text).toContain("== Account a2");
  });

  it("a user whose time zone the runtime does not know still gets a digest, and does not stop the others'", async () => {
    await subscribe(db, { user: w.other.id }, "account", "a1");
    await db.query("UPDATE users SET time_zone = 'Mars/Olympus' WHERE id = $1", [w.other.id]);
    await accountEvent(db, "account.band_changed", "a1", bandMove, T0);
    await routePendingEvents(e);
    expect((await alerts(db)).map((a) => a.recipient_user).sort()).toEqual([w.csm.id, w.other.id].sort());
    clock.set(at("2026-03-11T08:00:00Z"));
    expect(await writeDueDigests(e)).toBe(2);
    expect(await digestsOf(w.other.id)).toHaveLength(1);
  });
});
