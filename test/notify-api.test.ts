import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { secretBox, type User } from "../src/auth/index.js";
import { closeMailers } from "../src/notify/deliver.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { type SmtpReceiver, startSmtpReceiver } from "./helpers/receivers.js";
import { adminKey } from "./helpers/server.js";
import { addUser, sessionHeaders } from "./helpers/team.js";

// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
type Json = Record<string, any>;
type Headers = Record<string, string>;

const NOW = new Date("2025-06-02T12:00:00.000Z");
const SMTP_PASSWORD = "hunter2-smtp-password-xyz";
const SLACK_1 = "https://hooks.slack.com/services/T0001/B0001/channelTokenOne";
const SLACK_2 = "https://hooks.slack.com/services/T0001/B0002/channelTokenTwo";
const MY_SLACK = "http://127.0.0.1:9/services/T0001/B0003/personalTokenThree";

describe(`the alert routes (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let smtp: SmtpReceiver;
  let key: Headers;
  let admin: Headers;
  let csmA: Headers;
  let csmB: Headers;
  let users: Record<"admin" | "a" | "b", User>;
  const box = secretBox("notify-api-tests-secret-key-0123456789");

  const call = (method: string, url: string, headers: Headers, body?: unknown) =>
    app.inject({
      method: method as "GET",
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as Json }),
    });
  const ok = async (method: string, url: string, headers: Headers, body?: unknown, status = 200) => {
    const res = await call(method, url, headers, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.body ? (res.json() as Json) : {};
  };
  /** A 400 naming `field`. */
  const refused = async (method: string, url: string, headers: Headers, body: unknown, field: string) => {
    const res = await call(method, url, headers, body);
    expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
    expect(res.json().error.details.map((d: Json) => d.field)).toContain(field);
  };

  beforeAll(async () => {
    db = await testDb();
    smtp = await startSmtpReceiver({ auth: { user: "mailer", password: SMTP_PASSWORD } });
    app = await buildServer({
      db,
      config: { bodyLimit: 1 << 20, logLevel: "silent" },
      clock: () => NOW,
      secrets: box,
    });
    key = { authorization: `Bearer ${await adminKey(db)}` };
    users = {
      admin: await addUser(db, "admin", { email: "admin@kw.example" }),
      a: await addUser(db, "csm", { email: "a@kw.example" }),
      b: await addUser(db, "csm", { email: "b@kw.example" }),
    };
    admin = await sessionHeaders(db, users.admin);
    csmA = await sessionHeaders(db, users.a);
    csmB = await sessionHeaders(db, users.b);
    await db.query(
      "INSERT INTO accounts (id, name, segment) VALUES ('acme', 'Acme Corp', 'smb'), ('globex', 'Globex', 'ent')",
    );
    // 25 alerts for A (some sharing a created_at, so the id breaks the tie), 3 for B.
    await db.query(
      `WITH e AS (INSERT INTO notify_events (type, account, subject) VALUES ('play.opened', 'acme', 'acme') RETURNING id)
       INSERT INTO alerts (id, dedupe_key, recipient_user, event_type, subject, account, severity, delivery, title,
                           content, first_event, last_event, created_at, updated_at)
       SELECT 'alr_' || u.tag || lpad(n::text, 2, '0'), u.tag || n, u.id, 'play.opened', 'acme', 'acme', 'critical',
              'immediate', 'Critical play opened: Acme Corp',
              jsonb_build_object('account', jsonb_build_object('id', 'acme', 'name', 'Acme Corp'),
                                 'link', 'http://kw.example/accounts/acme', 'title', 'Critical play opened: Acme Corp'),
              e.id, e.id, $3::timestamptz - (n / 2) * interval '1 hour', $3::timestamptz
       FROM e, (VALUES ($1, 'a', 25), ($2, 'b', 3)) AS u(id, tag, k), generate_series(1, u.k) AS n`,
      [users.a.id, users.b.id, NOW.toISOString()],
    );
  }, 60_000);
  afterAll(async () => {
    closeMailers();
    await app.close();
    await smtp.close();
    await db.close();
  });

  it("lists a person's own notifications newest first, paged by cursor, with the unread count", async () => {
    const expected = (
      await db.query<{ id: string }>(
        "SELECT id FROM alerts WHERE recipient_user = $1 ORDER BY created_at DESC, id DESC",
        [users.a.id],
      )
    ).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Json = await ok(
        "GET",
        `/api/v1/notifications?limit=10${cursor ? `&cursor=${cursor}` : ""}`,
        csmA,
      );
      expect(page.unread).toBe(25);
      seen.push(...page.items.map((n: Json) => n.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    const first = (await ok("GET", "/api/v1/notifications?limit=1", csmA)).items[0];
    expect(first).toMatchObject({
      event_type: "play.opened",
      severity: "critical",
      account: { id: "acme", name: "Acme Corp" },
      link: "http://kw.example/accounts/acme",
      read_at: null,
      delivery: "immediate",
      occurrences: 1,
    });
    const mine = await ok("GET", "/api/v1/notifications", csmB);
    expect(mine.items.map((n: Json) => n.id).sort()).toEqual(["alr_b01", "alr_b02", "alr_b03"]);
    expect(await ok("GET", "/api/v1/notifications/unread", csmB)).toEqual({ unread: 3 });
    await refused("GET", "/api/v1/notifications?cursor=bm9wZQ", csmA, undefined, "cursor");
    await refused("GET", "/api/v1/notifications?limit=0", csmA, undefined, "limit");
  });

  it("marks only the caller's own read, counting them", async () => {
    expect(
      await ok("POST", "/api/v1/notifications/read", csmA, { ids: ["alr_a01", "alr_a02", "alr_b01"] }),
    ).toEqual({
      marked: 2,
      unread: 23,
    });
    expect(await ok("POST", "/api/v1/notifications/read", csmA, { ids: ["alr_a01"] })).toEqual({
      marked: 0,
      unread: 23,
    });
    expect((await ok("GET", "/api/v1/notifications/unread", csmB)).unread).toBe(3);
    const unread = await ok("GET", "/api/v1/notifications?unread=true&limit=100", csmA);
    expect(unread.items).toHaveLength(23);
    expect(unread.items.map((n: Json) => n.id)).not.toContain("alr_a01");
    const read = (await ok("GET", "/api/v1/notifications?limit=100", csmA)).items.find(
      (n: Json) => n.id === "alr_a01",
    );
    expect(read.read_at).toBe(NOW.toISOString());
    await refused("POST", "/api/v1/notifications/read", csmA, {}, "ids");
    await refused("POST", "/api/v1/notifications/read", csmA, { all: false }, "all");
    await refused("POST", "/api/v1/notifications/read", csmA, { ids: "alr_a03" }, "ids");
    expect(await ok("POST", "/api/v1/notifications/read", csmA, { all: true })).toEqual({
      marked: 23,
      unread: 0,
    });
    expect((await ok("GET", "/api/v1/notifications/unread", csmB)).unread).toBe(3);
  });

  it("refuses an API key on a person's own routes", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/notifications"],
      ["GET", "/api/v1/notifications/unread"],
      ["POST", "/api/v1/notifications/read"],
      ["GET", "/api/v1/me/notifications"],
      ["PUT", "/api/v1/me/notifications"],
      ["GET", "/api/v1/me/subscriptions"],
      ["POST", "/api/v1/me/subscriptions"],
    ] as const)
      expect((await call(method, url, key, method === "GET" ? undefined : {})).statusCode, url).toBe(403);
  });

  it("keeps a person's preferences, their Slack URL sealed and never shown", async () => {
    const defaults = {
      email: true,
      slack: false,
      slack_url_set: false,
      mode: "default",
      digest_hour: null,
      quiet_hours: null,
      budget_per_day: null,
      time_zone: "UTC",
    };
    expect(await ok("GET", "/api/v1/me/notifications", csmA)).toEqual(defaults);
    const mine = {
      email: false,
      slack: true,
      mode: "digest",
      digest_hour: 7,
      quiet_hours: { start: "22:00", end: "07:30" },
      budget_per_day: 5,
      time_zone: "Europe/Berlin",
    };
    const put = await ok("PUT", "/api/v1/me/notifications", csmA, { ...mine, slack_webhook_url: MY_SLACK });
    expect(put).toEqual({ ...mine, slack_url_set: true });
    const got = await call("GET", "/api/v1/me/notifications", csmA);
    expect(got.json()).toEqual({ ...mine, slack_url_set: true });
    expect(got.body).not.toContain("personalTokenThree");
    const [row] = await db.query<Json>(
      `SELECT p.*, u.time_zone FROM notification_prefs p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1`,
      [users.a.id],
    );
    expect(row).toMatchObject({
      quiet_start: 1320,
      quiet_end: 450,
      time_zone: "Europe/Berlin",
      mode: "digest",
    });
    expect(row?.slack_url_sealed).not.toContain("personalTokenThree");
    expect(box.open(row?.slack_url_sealed)).toBe(MY_SLACK);
    // Another person's are untouched.
    expect(await ok("GET", "/api/v1/me/notifications", csmB)).toEqual(defaults);
    // The URL left out is kept; null clears it (Slack must go off with it).
    expect((await ok("PUT", "/api/v1/me/notifications", csmA, { mode: "immediate" })).slack_url_set).toBe(
      true,
    );
    await refused("PUT", "/api/v1/me/notifications", csmA, { slack_webhook_url: null }, "slack_webhook_url");
    const cleared = await ok("PUT", "/api/v1/me/notifications", csmA, {
      slack: false,
      slack_webhook_url: null,
    });
    expect(cleared).toMatchObject({
      slack: false,
      slack_url_set: false,
      mode: "immediate",
      time_zone: "Europe/Berlin",
    });
    await refused("PUT", "/api/v1/me/notifications", csmB, { slack: true }, "slack_webhook_url");
  });

  it("names the field of each bad preference", async () => {
    const bad: [Json, string][] = [
      [{ time_zone: "Mars/Olympus_Mons" }, "time_zone"],
      [{ quiet_hours: { start: "25:00", end: "07:00" } }, "quiet_hours.start"],
      [{ quiet_hours: { start: "07:00", end: "07:00" } }, "quiet_hours.end"],
      [{ digest_hour: 24 }, "digest_hour"],
      [{ budget_per_day: 0 }, "budget_per_day"],
      [{ mode: "loud" }, "mode"],
      [{ email: "yes" }, "email"],
      [{ slack_webhook_url: "http://example.com/hook" }, "slack_webhook_url"],
      [{ slack_webhook_url: "not a url" }, "slack_webhook_url"],
    ];
    for (const [body, field] of bad) await refused("PUT", "/api/v1/me/notifications", csmB, body, field);
    expect((await ok("GET", "/api/v1/me/notifications", csmB)).time_zone).toBe("UTC");
  });

  it("keeps the team's settings, secrets sealed, never shown, never audited", async () => {
    const empty = await ok("GET", "/api/v1/notifications/settings", key);
    expect(empty).toMatchObject({
      smtp: null,
      smtp_source: null,
      slack_channels: [],
      budget_per_day: 20,
      digest_hour: 8,
      score_drop_points: 10,
    });
    expect(empty.public_url_hint).toMatch(/^http:\/\//);
    expect((await call("GET", "/api/v1/notifications/settings", csmA)).statusCode).toBe(403);
    const smtpIn = {
      host: smtp.host,
      port: String(smtp.port),
      security: "none",
      user: "mailer",
      from: "Keepwell <alerts@kw.example>",
      password: SMTP_PASSWORD,
    };
    const put = await ok("PUT", "/api/v1/notifications/settings", admin, {
      smtp: smtpIn,
      slack_channels: [
        { name: "#cs-alerts", webhook_url: SLACK_1 },
        { name: "#exec", webhook_url: SLACK_2 },
      ],
      budget_per_day: "30",
      digest_hour: 9,
      score_drop_points: 15,
    });
    expect(put).toMatchObject({
      smtp: { host: smtp.host, port: smtp.port, security: "none", user: "mailer", password_set: true },
      smtp_source: "settings",
      budget_per_day: 30,
      digest_hour: 9,
      score_drop_points: 15,
    });
    expect(put.slack_channels.map((c: Json) => [c.name, c.url_set, c.disabled])).toEqual([
      ["#cs-alerts", true, false],
      ["#exec", true, false],
    ]);
    const secrets = [SMTP_PASSWORD, "channelTokenOne", "channelTokenTwo"];
    const text = (await call("GET", "/api/v1/notifications/settings", key)).body;
    const audits = JSON.stringify(await db.query("SELECT * FROM audit_log WHERE action LIKE 'notify.%'"));
    expect(audits).toContain("notify.settings_changed");
    const [stored] = await db.query<Json>("SELECT settings, smtp_password FROM notification_settings");
    const urls = await db.query<{ url_sealed: string }>(
      "SELECT url_sealed FROM slack_channels ORDER BY name",
    );
    for (const s of secrets) {
      expect(text).not.toContain(s);
      expect(audits).not.toContain(s);
      expect(JSON.stringify(stored)).not.toContain(s);
      expect(JSON.stringify(urls)).not.toContain(s);
    }
    expect(box.open(stored?.smtp_password)).toBe(SMTP_PASSWORD);
    expect(urls.map((u) => box.open(u.url_sealed))).toEqual([SLACK_1, SLACK_2]);

    // Keep #cs-alerts (URL kept), rename it, drop #exec (disabled, not deleted), keep the password.
    const [cs, exec] = put.slack_channels as Json[];
    const { password: _pw, ...noPassword } = smtpIn;
    const next = await ok("PUT", "/api/v1/notifications/settings", admin, {
      smtp: noPassword,
      slack_channels: [{ id: cs?.id, name: "#cs" }],
    });
    expect(next.smtp.password_set).toBe(true);
    expect(next.budget_per_day).toBe(30);
    expect(next.slack_channels).toEqual([
      { id: cs?.id, name: "#cs", url_set: true, disabled: false },
      { id: exec?.id, name: "#exec", url_set: true, disabled: true },
    ]);
    const [kept] = await db.query<{ url_sealed: string }>(
      "SELECT url_sealed FROM slack_channels WHERE id = $1",
      [cs?.id],
    );
    expect(box.open(kept?.url_sealed as string)).toBe(SLACK_1);
    // A new channel named like the disabled one takes its place.
    const back = await ok("PUT", "/api/v1/notifications/settings", admin, {
      slack_channels: [
        { id: cs?.id, name: "#cs" },
        { name: "#exec", webhook_url: SLACK_2 },
      ],
    });
    expect(back.slack_channels.map((c: Json) => [c.id, c.disabled])).toEqual([
      [cs?.id, false],
      [exec?.id, false],
    ]);
  });

  it("names the field of each bad setting and changes nothing", async () => {
    const before = (await call("GET", "/api/v1/notifications/settings", key)).body;
    const smtpIn = { host: "mail.kw.example", port: 587, security: "starttls", from: "alerts@kw.example" };
    const bad: [Json, string][] = [
      [{ budget_per_day: 0 }, "budget_per_day"],
      [{ budget_per_day: "lots" }, "budget_per_day"],
      [{ digest_hour: "24" }, "digest_hour"],
      [{ score_drop_points: 101 }, "score_drop_points"],
      [{ smtp: { ...smtpIn, port: "abc" } }, "smtp.port"],
      [{ smtp: { ...smtpIn, port: 70000 } }, "smtp.port"],
      [{ smtp: { ...smtpIn, host: "" } }, "smtp.host"],
      [{ smtp: { ...smtpIn, from: "nobody" } }, "smtp.from"],
      [{ smtp: { ...smtpIn, security: "ssl" } }, "smtp.security"],
      [
        { slack_channels: [{ name: "#a", webhook_url: "ftp://x.example/hook" }] },
        "slack_channels[0].webhook_url",
      ],
      [
        { smtp: smtpIn, slack_channels: [{ name: "#a", webhook_url: SLACK_1 }, { name: "#b" }] },
        "slack_channels[1].webhook_url",
      ],
      [
        {
          slack_channels: [
            { name: "#a", webhook_url: SLACK_1 },
            { name: "#a", webhook_url: SLACK_2 },
          ],
        },
        "slack_channels[1].name",
      ],
      [{ slack_channels: [{ id: "slk_nope", name: "#a" }] }, "slack_channels[0].id"],
      [{ slack_channels: [{ name: "#a\u0000", webhook_url: SLACK_1 }] }, "slack_channels[0].name"],
      [{ slack_channels: [{ name: " ", webhook_url: SLACK_1 }] }, "slack_channels[0].name"],
    ];
    for (const [body, field] of bad)
      await refused("PUT", "/api/v1/notifications/settings", admin, body, field);
    expect((await call("GET", "/api/v1/notifications/settings", key)).body).toBe(before);
  });

  it("follows things, once each, each person only their own; admins subscribe channels", async () => {
    const sub = await ok("POST", "/api/v1/me/subscriptions", csmA, { scope: "account", value: "acme" }, 201);
    expect(sub).toMatchObject({ scope: "account", value: "acme", event_types: [], channel: null });
    expect(await ok("POST", "/api/v1/me/subscriptions", csmA, { scope: "account", value: "acme" })).toEqual(
      sub,
    );
    const band = await ok(
      "POST",
      "/api/v1/me/subscriptions",
      csmA,
      { scope: "band", value: "critical", event_types: ["play.opened", "account.band_changed"] },
      201,
    );
    await ok("POST", "/api/v1/me/subscriptions", csmA, { scope: "event", value: "play.overdue" }, 201);
    await ok("POST", "/api/v1/me/subscriptions", csmA, { scope: "segment", value: "smb" }, 201);
    const [{ n }] = (await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notify_subscriptions WHERE user_id = $1",
      [users.a.id],
    )) as [{ n: number }];
    expect(n).toBe(4);
    const bad: [Json, string][] = [
      [{ scope: "account", value: "no-such-account" }, "value"],
      [{ scope: "band", value: "purple" }, "value"],
      [{ scope: "event", value: "play.exploded" }, "value"],
      [{ scope: "segment", value: "" }, "value"],
      [{ scope: "planet", value: "mars" }, "scope"],
      [{ scope: "segment", value: "a\u0000b" }, "value"],
      [{ scope: "band", value: "watch", event_types: ["play.opened", "nope"] }, "event_types[1]"],
    ];
    for (const [body, field] of bad) await refused("POST", "/api/v1/me/subscriptions", csmA, body, field);

    expect((await ok("GET", "/api/v1/me/subscriptions", csmB)).items).toEqual([]);
    expect((await call("DELETE", `/api/v1/me/subscriptions/${band.id}`, csmB)).statusCode).toBe(404);
    await refused("DELETE", "/api/v1/me/subscriptions/a%00b", csmA, undefined, "id");
    const channels = (await ok("GET", "/api/v1/notifications/settings", key)).slack_channels as Json[];
    const live = channels.find((c) => !c.disabled) as Json;
    const forChannel = { scope: "band", value: "at_risk", channel_id: live.id };
    expect((await call("POST", "/api/v1/me/subscriptions", csmA, forChannel)).statusCode).toBe(403);
    await refused(
      "POST",
      "/api/v1/me/subscriptions",
      admin,
      { ...forChannel, channel_id: "slk_nope" },
      "channel_id",
    );
    const ch = await ok("POST", "/api/v1/me/subscriptions", admin, forChannel, 201);
    expect(ch.channel).toEqual({ id: live.id, name: live.name });
    expect((await ok("GET", "/api/v1/me/subscriptions", admin)).items.map((s: Json) => s.id)).toEqual([
      ch.id,
    ]);
    const aList = (await ok("GET", "/api/v1/me/subscriptions", csmA)).items.map((s: Json) => s.id);
    expect(aList).toHaveLength(4);
    expect(aList).not.toContain(ch.id);
    expect((await call("DELETE", `/api/v1/me/subscriptions/${ch.id}`, csmA)).statusCode).toBe(404);
    expect((await call("DELETE", `/api/v1/me/subscriptions/${ch.id}`, admin)).statusCode).toBe(204);
    const audited = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE subject_type = 'slack_channel' ORDER BY id",
    );
    expect(audited.map((a) => a.action)).toEqual([
      "notify.channel_subscribed",
      "notify.channel_unsubscribed",
    ]);
    expect((await call("DELETE", `/api/v1/me/subscriptions/${band.id}`, csmA)).statusCode).toBe(204);
    expect((await call("DELETE", `/api/v1/me/subscriptions/${band.id}`, csmA)).statusCode).toBe(404);
  });

  it("sends a test email through the saved SMTP server, and says clearly when it is refused", async () => {
    await refused("POST", "/api/v1/notifications/test-email", key, { to: "not-an-address" }, "to");
    const sent = await ok("POST", "/api/v1/notifications/test-email", key, { to: "ops@kw.example" });
    expect(sent).toMatchObject({ state: "delivered", status: 250, error: null });
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ subject: "Keepwell test email", to: ["ops@kw.example"], user: "mailer" });
    expect(mail?.text).toContain("test email from Keepwell");
    const [row] = await db.query<Json>(
      "SELECT channel, event_type, target, state FROM deliveries WHERE id = $1",
      [sent.delivery_id],
    );
    expect(row).toEqual({
      channel: "email",
      event_type: "notify.test",
      target: "ops@kw.example",
      state: "delivered",
    });

    smtp.refuseNext(1, 550, "Mailbox unavailable");
    const dead = await ok("POST", "/api/v1/notifications/test-email", key, { to: "ops@kw.example" });
    expect(dead).toMatchObject({ state: "dead", status: 550 });
    expect(dead.error).toMatch(/refused the message.*Mailbox unavailable/);
    smtp.refuseNext(1, 451, "Try again later");
    const later = await ok("POST", "/api/v1/notifications/test-email", key, { to: "ops@kw.example" });
    expect(later).toMatchObject({ state: "pending", status: 451 });
    expect(later.error).toContain("Try again later");
    expect(smtp.messages).toHaveLength(1);

    await ok("PUT", "/api/v1/notifications/settings", admin, { smtp: null });
    expect((await ok("GET", "/api/v1/notifications/settings", key)).smtp).toBeNull();
    const [pw] = await db.query<Json>("SELECT smtp_password FROM notification_settings");
    expect(pw?.smtp_password).toBeNull();
    await refused("POST", "/api/v1/notifications/test-email", key, { to: "ops@kw.example" }, "smtp");
  });

  it("shows SMTP from the environment when the settings set none", async () => {
    const env = await buildServer({
      db,
      config: {
        bodyLimit: 1 << 20,
        logLevel: "silent",
        smtp: {
          host: "relay.kw.example",
          port: 25,
          security: "none",
          password: "env-password-123",
          from: "a@kw.example",
        },
      },
      secrets: box,
    });
    try {
      const res = await env.inject({ method: "GET", url: "/api/v1/notifications/settings", headers: key });
      expect(res.json()).toMatchObject({
        smtp_source: "environment",
        smtp: { host: "relay.kw.example", port: 25, user: null, password_set: true },
      });
      expect(res.body).not.toContain("env-password-123");
    } finally {
      await env.close();
    }
  });
});
