import { beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import type { User } from "../src/auth/index.js";
import type { Db } from "../src/store/index.js";
import { storeName } from "./helpers/db.js";
import {
  type Headers,
  type Json,
  notifyApiSuite,
  SLACK_1,
  SLACK_2,
  SMTP_PASSWORD,
} from "./helpers/notify-api-suite.js";
import type { SmtpReceiver } from "./helpers/receivers.js";

describe(`the alert routes: team settings, subscriptions, test email (${storeName})`, () => {
  const t = notifyApiSuite();
  const { call, ok, refused, box } = t;
  let db: Db;
  let smtp: SmtpReceiver;
  let key: Headers;
  let admin: Headers;
  let csmA: Headers;
  let csmB: Headers;
  let users: Record<"admin" | "a" | "b", User>;
  beforeAll(() => {
    ({ db, smtp, key, admin, csmA, csmB, users } = t);
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
