import type { FastifyInstance } from "fastify";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { ROUTE_ACCESS } from "../src/api/route-permissions.js";
import { EVENTS_FEED } from "../src/api/webhook-routes.js";
import { type SecretBox, secretBox } from "../src/auth/index.js";
import { closeHttpAgent } from "../src/notify/channels/index.js";
import { deliverDeliveries } from "../src/notify/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { type HttpReceiver, startHttpReceiver } from "./helpers/receivers.js";
import { adminKey } from "./helpers/server.js";
import { keyWith } from "./helpers/team.js";

// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
type Json = Record<string, any>;

/**
 * The webhook API against a real HTTP receiver: endpoints and their secrets,
 * signed test sends, rotation, REST hooks, the events feed, the delivery log
 * with its replays, and a receiver that answers 410.
 */
describe(`the webhooks API (${storeName})`, { timeout: 60_000 }, () => {
  let db: Db;
  let app: FastifyInstance;
  let rx: HttpReceiver;
  let secrets: SecretBox;
  let admin: Record<string, string>;
  const now = () => new Date();

  const req = async (method: string, url: string, body?: unknown, headers = admin) =>
    app.inject({
      method: method as "GET",
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as Json }),
    });
  const create = async (body: Json) => {
    const res = await req("POST", "/api/v1/webhooks", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; url: string; event_types: string[]; secret: string };
  };
  const lastRequest = () => rx.requests.at(-1)!;
  const verify = (secret: string, r = lastRequest()) =>
    new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Json;

  beforeAll(async () => {
    expect(ROUTE_ACCESS[`GET ${EVENTS_FEED}`], "the feed is guarded as reading").toBe("read");
    db = await testDb();
    secrets = secretBox("tests-only secret key, long enough");
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" }, secrets, clock: now });
    admin = { authorization: `Bearer ${await adminKey(db)}` };
    rx = await startHttpReceiver();
  });
  afterAll(async () => {
    await closeHttpAgent();
    await rx.close();
    await app.close();
    await db.close();
  });

  it("makes an endpoint and shows its secret once: never again, and stored only sealed", async () => {
    const made = await create({
      url: `${rx.url}/hooks/in?token=tok123`,
      description: "our own service",
      event_types: ["play.opened", "account.band_changed"],
    });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(made.event_types).toEqual(["play.opened", "account.band_changed"]);

    const one = await req("GET", `/api/v1/webhooks/${made.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: made.id,
      url: `${rx.url}/hooks/in?token=tok123`,
      description: "our own service",
      source: "admin",
      disabled_at: null,
      deliveries: { delivered: 0, pending: 0, dead: 0 },
    });
    const all = await req("GET", "/api/v1/webhooks");
    expect(all.json().items.map((w: Json) => w.id)).toContain(made.id);
    for (const body of [one.body, all.body]) {
      expect(body).not.toContain(made.secret);
      expect(body).not.toContain("secret");
    }
    const [row] = await db.query<{ sealed: string }>(
      "SELECT secret_sealed AS sealed FROM webhook_endpoints WHERE id = $1",
      [made.id],
    );
    expect(row!.sealed).not.toContain(made.secret.slice(6));
    expect(secrets.open(row!.sealed)).toBe(made.secret);
    const audits = await db.query<{ action: string; after: Json }>(
      "SELECT action, after FROM audit_log WHERE subject_id = $1",
      [made.id],
    );
    expect(audits.map((a) => a.action)).toEqual(["webhook.created"]);
    expect(JSON.stringify(audits)).not.toContain(made.secret);
  });

  it("refuses bad input with a 400 naming the field, and unknown ids with a 404", async () => {
    const bad = async (body: Json, field: string) => {
      const res = await req("POST", "/api/v1/webhooks", body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    };
    await bad(
      { url: rx.url, event_types: ["play.opened", "account.flagged", "play.exploded"] },
      "event_types[2]",
    );
    await bad({ url: "ftp://files.example/in" }, "url");
    await bad({ url: "not a url at all" }, "url");
    await bad({ event_types: [] }, "url");
    expect((await req("GET", "/api/v1/webhooks/whk_nope")).statusCode).toBe(404);
    expect((await req("PATCH", "/api/v1/webhooks/whk_nope", { description: "x" })).statusCode).toBe(404);
    expect((await req("DELETE", "/api/v1/webhooks/whk_nope")).statusCode).toBe(404);
    expect((await req("POST", "/api/v1/webhooks/whk_nope/test", {})).statusCode).toBe(404);
    expect((await db.query("SELECT 1 FROM webhook_endpoints WHERE url LIKE 'ftp:%'")).length).toBe(0);
  });

  it("sends a signed test event to a real receiver; a rotation signs with the old and the new secret", async () => {
    const made = await create({ url: `${rx.url}/signed?k=v` });
    const sent = await req("POST", `/api/v1/webhooks/${made.id}/test`, {});
    expect(sent.statusCode, sent.body).toBe(200);
    const d = sent.json();
    expect(d).toMatchObject({ state: "delivered", last_status: 200, last_error: null, endpoint_id: made.id });
    expect(d.delivery_id).toBe(d.id);
    expect(d.target).toBe(`${rx.url}/signed`);
    const r = lastRequest();
    expect(r.path).toBe("/signed?k=v");
    expect(r.headers["webhook-id"]).toBe(d.id);
    const payload = verify(made.secret);
    expect(payload).toMatchObject({ type: "webhook.test", data: { account: { id: "acc_test" } } });
    expect(() => verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toThrow();

    const rotated = await req("POST", `/api/v1/webhooks/${made.id}/rotate`, {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(made.secret);
    await req("POST", `/api/v1/webhooks/${made.id}/test`, {});
    const signatures = String(lastRequest().headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith("v1,"))).toBe(true);
    expect(verify(fresh).type).toBe("webhook.test");
    expect(verify(made.secret).type).toBe("webhook.test");

    // No grace: the old secret stops at once.
    const now2 = (await req("POST", `/api/v1/webhooks/${made.id}/rotate`, { grace_hours: 0 })).json();
    await req("POST", `/api/v1/webhooks/${made.id}/test`, {});
    expect(String(lastRequest().headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verify(now2.secret).type).toBe("webhook.test");
    expect(() => verify(fresh)).toThrow();
    const tooLong = await req("POST", `/api/v1/webhooks/${made.id}/rotate`, { grace_hours: 500 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0].field).toBe("grace_hours");
    const listed = (await req("GET", `/api/v1/webhooks/${made.id}`)).json();
    expect(listed.deliveries).toEqual({ delivered: 3, pending: 0, dead: 0 });
  });

  it("disables an endpoint whose receiver answers 410 to a test send", async () => {
    const made = await create({ url: `${rx.url}/gone` });
    rx.respond([{ status: 410, body: "gone" }]);
    const d = (await req("POST", `/api/v1/webhooks/${made.id}/test`, {})).json();
    expect(d).toMatchObject({ state: "dead", last_status: 410 });
    const w = (await req("GET", `/api/v1/webhooks/${made.id}`)).json();
    expect(w.disabled_at).not.toBeNull();
    expect(w.disabled_reason).toMatch(/410/);
    const again = await req("POST", `/api/v1/webhooks/${made.id}/test`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/disabled/);
  });

  it("disables, enables and removes an endpoint; removing cancels its pending deliveries", async () => {
    const made = await create({ url: `${rx.url}/later` });
    const pending = async (id: string) =>
      db.query(
        `INSERT INTO deliveries (id, channel, endpoint_id, event_type, target, body, next_attempt_at, created_at)
         VALUES ($1, 'webhook', $2, 'play.opened', 'x', '{}', now() + interval '1 hour', now())`,
        [id, made.id],
      );
    await pending("msg_p1");
    const off = await req("PATCH", `/api/v1/webhooks/${made.id}`, { enabled: false, description: "paused" });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({
      description: "paused",
      disabled_reason: expect.stringMatching(/disabled by/),
    });
    const on = (
      await req("PATCH", `/api/v1/webhooks/${made.id}`, { disabled: false, event_types: ["play.closed"] })
    ).json();
    expect(on).toMatchObject({ disabled_at: null, disabled_reason: null, event_types: ["play.closed"] });
    const badType = await req("PATCH", `/api/v1/webhooks/${made.id}`, { event_types: ["nope"] });
    expect(badType.json().error.details[0].field).toBe("event_types[0]");

    await pending("msg_p2");
    const gone = await req("DELETE", `/api/v1/webhooks/${made.id}`);
    expect(gone.statusCode).toBe(204);
    const states = await db.query<{ id: string; state: string }>(
      "SELECT id, state FROM deliveries WHERE id IN ('msg_p1', 'msg_p2') ORDER BY id",
    );
    expect(states.map((s) => s.state)).toEqual(["cancelled", "cancelled"]);
    const w = (await req("GET", `/api/v1/webhooks/${made.id}`)).json();
    expect(w.disabled_reason).toBe("removed");
    expect((await req("PATCH", `/api/v1/webhooks/${made.id}`, { disabled: false })).statusCode).toBe(409);
    const actions = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id",
      [made.id],
    );
    expect(actions.map((a) => a.action)).toEqual([
      "webhook.created",
      "webhook.updated",
      "webhook.updated",
      "webhook.removed",
    ]);
  });

  it("subscribes and unsubscribes REST hooks with a read key, and refuses a key without read", async () => {
    const read = { authorization: `Bearer ${await keyWith(db, ["read"])}` };
    const other = { authorization: `Bearer ${await keyWith(db, ["read"])}` };
    const ingest = { authorization: `Bearer ${await keyWith(db, ["ingest"])}` };
    const target = `${rx.url}/zapier/hooks/123`;
    const sub = await req("POST", "/api/v1/hooks", { target_url: target, event: "play.opened" }, read);
    expect(sub.statusCode, sub.body).toBe(201);
    const hook = sub.json();
    expect(hook).toEqual({ id: expect.any(String), target_url: target, event: "play.opened" });
    const [row] = await db.query<Json>(
      "SELECT source, event_types, secret_sealed, disabled_at FROM webhook_endpoints WHERE id = $1",
      [hook.id],
    );
    expect(row).toMatchObject({ source: "rest_hook", event_types: ["play.opened"], disabled_at: null });
    expect(secrets.open(row!.secret_sealed)).toMatch(/^whsec_/);

    expect(
      (await req("POST", "/api/v1/hooks", { target_url: target, event: "play.opened" }, ingest)).statusCode,
    ).toBe(403);
    const bad = await req("POST", "/api/v1/hooks", { target_url: target, event: "all" }, read);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("event");
    expect((await req("DELETE", `/api/v1/hooks/${hook.id}`, undefined, ingest)).statusCode).toBe(403);
    expect((await req("DELETE", `/api/v1/hooks/${hook.id}`, undefined, other)).statusCode).toBe(404);
    const admins = (await req("GET", "/api/v1/webhooks")).json().items.map((w: Json) => w.id);
    const adminEndpoint = admins.find((id: string) => id.startsWith("whk_"));
    expect((await req("DELETE", `/api/v1/hooks/${adminEndpoint}`)).statusCode).toBe(404);

    expect((await req("DELETE", `/api/v1/hooks/${hook.id}`, undefined, read)).statusCode).toBe(204);
    const [after] = await db.query<Json>("SELECT disabled_reason FROM webhook_endpoints WHERE id = $1", [
      hook.id,
    ]);
    expect(after!.disabled_reason).toBe("removed");
  });

  it("polls recent events newest first, by type and account, a page back at a time, never test events", async () => {
    await db.query("INSERT INTO accounts (id, name, segment, arr) VALUES ('acc_e1', 'Eon Ltd', 'smb', 9000)");
    const ids: string[] = [];
    for (const [type, account] of [
      ["account.band_changed", "acc_e1"],
      ["webhook.test", "acc_test"],
      ["account.score_dropped", "acc_e2"],
      ["account.band_changed", "acc_e2"],
      ["account.flagged", "acc_e1"],
    ]) {
      const [r] = await db.query<{ id: string }>(
        `INSERT INTO notify_events (type, account, subject, detail) VALUES ($1, $2, $2, $3) RETURNING id::text AS id`,
        [type, account, JSON.stringify({ band_before: "healthy", band_after: "watch", probability: 0.6 })],
      );
      if (type !== "webhook.test") ids.push(r!.id);
    }
    const newest = [...ids].reverse();
    const p1 = (await req("GET", `${EVENTS_FEED}?limit=2`)).json();
    expect(p1.items.map((e: Json) => e.id)).toEqual(newest.slice(0, 2));
    expect(p1.next_before).toBe(newest[1]);
    const p2 = (await req("GET", `${EVENTS_FEED}?limit=2&before=${p1.next_before}`)).json();
    expect(p2.items.map((e: Json) => e.id)).toEqual(newest.slice(2, 4));
    expect(p2.next_before).toBeNull();
    const rest = (await req("GET", `${EVENTS_FEED}?before=${newest[3]}`)).json();
    expect(rest).toEqual({ items: [], next_before: null });

    const bands = (await req("GET", `${EVENTS_FEED}?type=account.band_changed,account.flagged`)).json();
    expect(bands.items.map((e: Json) => e.type)).toEqual([
      "account.flagged",
      "account.band_changed",
      "account.band_changed",
    ]);
    const e1 = (await req("GET", `${EVENTS_FEED}?account=acc_e1`)).json();
    expect(e1.items.map((e: Json) => e.id)).toEqual([ids[3], ids[0]]);
    expect(e1.items[1]).toMatchObject({
      type: "account.band_changed",
      account: "acc_e1",
      play_id: null,
      data: {
        account: { id: "acc_e1", name: "Eon Ltd", segment: "smb", arr: 9000 },
        reason: "band moved from healthy to watch",
        link: expect.stringMatching(/\/accounts\/acc_e1$/),
      },
    });
    const since = (await req("GET", `${EVENTS_FEED}?since=${ids[1]}`)).json();
    expect(since.items.map((e: Json) => e.id)).toEqual([ids[3], ids[2]]);
    const bad = await req("GET", `${EVENTS_FEED}?type=play.opened,nope`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("type");
    expect((await req("GET", `${EVENTS_FEED}?limit=501`)).statusCode).toBe(400);
    const reader = { authorization: `Bearer ${await keyWith(db, ["read"])}` };
    expect((await req("GET", EVENTS_FEED, undefined, reader)).statusCode).toBe(200);
  });

  it("lists deliveries by filter, shows one with its attempts, and replays a dead one with the same webhook-id", async () => {
    const made = await create({ url: `${rx.url}/flaky` });
    rx.respond([{ status: 400, body: "bad request, says the receiver" }]);
    const dead = (await req("POST", `/api/v1/webhooks/${made.id}/test`, {})).json();
    expect(dead).toMatchObject({ state: "dead", last_status: 400, attempts: 1 });
    const firstId = lastRequest().headers["webhook-id"];

    const deadList = (await req("GET", "/api/v1/deliveries?state=dead,uncertain")).json();
    expect(deadList.items.length).toBeGreaterThanOrEqual(2);
    expect(deadList.items.every((d: Json) => d.state === "dead" || d.state === "uncertain")).toBe(true);
    expect(deadList.items[0].id).toBe(dead.id);
    const mine = (await req("GET", `/api/v1/deliveries?channel=webhook&endpoint=${made.id}`)).json();
    expect(mine.items.map((d: Json) => d.id)).toEqual([dead.id]);
    expect((await req("GET", "/api/v1/deliveries?state=lost")).json().error.details[0].field).toBe("state");
    expect((await req("GET", "/api/v1/deliveries?cursor=garbage")).json().error.details[0].field).toBe(
      "cursor",
    );

    // Pages of one, newest first, meet every delivery once.
    const every = (await req("GET", "/api/v1/deliveries?limit=500")).json().items.map((d: Json) => d.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (
        await req("GET", `/api/v1/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      seen.push(...page.items.map((d: Json) => d.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(every);

    const detail = (await req("GET", `/api/v1/deliveries/${dead.id}`)).json();
    expect(detail.attempts).toEqual([
      expect.objectContaining({ n: 1, status: 400, response: "bad request, says the receiver" }),
    ]);
    expect(detail.body).toMatchObject({ type: "webhook.test", data: { account: { id: "acc_test" } } });
    expect(JSON.stringify(detail)).not.toContain("whsec_");
    expect((await req("GET", "/api/v1/deliveries/msg_nope")).statusCode).toBe(404);

    const replayed = await req("POST", `/api/v1/deliveries/${dead.id}/replay`, {});
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json()).toMatchObject({ id: dead.id, state: "pending", attempts: 1, dead_at: null });
    const twice = await req("POST", `/api/v1/deliveries/${dead.id}/replay`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/pending/);

    const before = rx.requests.length;
    await deliverDeliveries({ db, secrets, clock: now, config: {} }, [dead.id]);
    expect(rx.requests.length).toBe(before + 1);
    expect(lastRequest().headers["webhook-id"]).toBe(firstId);
    expect(verify(made.secret).type).toBe("webhook.test");
    const done = (await req("GET", `/api/v1/deliveries/${dead.id}`)).json();
    expect(done).toMatchObject({ state: "delivered", last_status: 200 });
    expect(done.attempts.map((a: Json) => [a.n, a.status])).toEqual([
      [1, 400],
      [2, 200],
    ]);
    const [audited] = await db.query<Json>(
      "SELECT before, after FROM audit_log WHERE action = 'delivery.replayed'",
    );
    expect(audited).toMatchObject({ before: { state: "dead" }, after: { state: "pending" } });
  });
});
