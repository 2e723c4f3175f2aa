import { beforeAll, describe, expect, it } from "vitest";
import type { User } from "../src/auth/index.js";
import type { Db } from "../src/store/index.js";
import { storeName } from "./helpers/db.js";
import { type Headers, type Json, MY_SLACK, NOW, notifyApiSuite } from "./helpers/notify-api-suite.js";

describe(`the alert routes: a person's notifications and preferences (${storeName})`, () => {
  const t = notifyApiSuite();
  const { call, ok, refused, box } = t;
  let db: Db;
  let key: Headers;
  let csmA: Headers;
  let csmB: Headers;
  let users: Record<"admin" | "a" | "b", User>;
  beforeAll(() => {
    ({ db, key, csmA, csmB, users } = t);
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
});
