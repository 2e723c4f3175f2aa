import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, expect } from "vitest";
import { buildServer } from "../../src/api/index.js";
import { secretBox, type User } from "../../src/auth/index.js";
import { closeMailers } from "../../src/notify/deliver.js";
import type { Db } from "../../src/store/index.js";
import { testDb } from "./db.js";
import { type SmtpReceiver, startSmtpReceiver } from "./receivers.js";
import { adminKey } from "./server.js";
import { addUser, sessionHeaders } from "./team.js";

// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
export type Json = Record<string, any>;
export type Headers = Record<string, string>;

export const NOW = new Date("2025-06-02T12:00:00.000Z");
export const SMTP_PASSWORD = "hunter2-smtp-password-xyz";
export const SLACK_1 = "https://hooks.slack.com/services/T0001/B0001/channelTokenOne";
export const SLACK_2 = "https://hooks.slack.com/services/T0001/B0002/channelTokenTwo";
export const MY_SLACK = "http://127.0.0.1:9/services/T0001/B0003/personalTokenThree";

export type NotifyApi = {
  db: Db;
  app: FastifyInstance;
  smtp: SmtpReceiver;
  /** An admin API key's headers, and the sessions of an admin and two CSMs. */
  key: Headers;
  admin: Headers;
  csmA: Headers;
  csmB: Headers;
  users: Record<"admin" | "a" | "b", User>;
  box: ReturnType<typeof secretBox>;
  call: (method: string, url: string, headers: Headers, body?: unknown) => Promise<LightMyRequestResponse>;
  ok: (method: string, url: string, headers: Headers, body?: unknown, status?: number) => Promise<Json>;
  /** A 400 naming `field`. */
  refused: (method: string, url: string, headers: Headers, body: unknown, field: string) => Promise<void>;
};

/**
 * The alert routes' test server, for a whole file: a store with an admin and
 * two CSMs signed in, two accounts, 25 alerts for CSM A and 3 for CSM B, an
 * SMTP receiver that wants a login, and the server on them. Registers the
 * file's beforeAll/afterAll; read the fields inside tests.
 */
export function notifyApiSuite(): NotifyApi {
  const t = { box: secretBox("notify-api-tests-secret-key-0123456789") } as NotifyApi;
  t.call = (method, url, headers, body) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as Json }),
    });
  t.ok = async (method, url, headers, body, status = 200) => {
    const res = await t.call(method, url, headers, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.body ? (res.json() as Json) : {};
  };
  t.refused = async (method, url, headers, body, field) => {
    const res = await t.call(method, url, headers, body);
    expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
    expect(res.json().error.details.map((d: Json) => d.field)).toContain(field);
  };
  beforeAll(async () => {
    t.db = await testDb();
    t.smtp = await startSmtpReceiver({ auth: { user: "mailer", password: SMTP_PASSWORD } });
    t.app = await buildServer({
      db: t.db,
      config: { bodyLimit: 1 << 20, logLevel: "silent" },
      clock: () => NOW,
      secrets: t.box,
    });
    t.key = { authorization: `Bearer ${await adminKey(t.db)}` };
    t.users = {
      admin: await addUser(t.db, "admin", { email: "admin@kw.example" }),
      a: await addUser(t.db, "csm", { email: "a@kw.example" }),
      b: await addUser(t.db, "csm", { email: "b@kw.example" }),
    };
    t.admin = await sessionHeaders(t.db, t.users.admin);
    t.csmA = await sessionHeaders(t.db, t.users.a);
    t.csmB = await sessionHeaders(t.db, t.users.b);
    await t.db.query(
      "INSERT INTO accounts (id, name, segment) VALUES ('acme', 'Acme Corp', 'smb'), ('globex', 'Globex', 'ent')",
    );
    // 25 alerts for A (some sharing a created_at, so the id breaks the tie), 3 for B.
    await t.db.query(
      `WITH e AS (INSERT INTO notify_events (type, account, subject) VALUES ('play.opened', 'acme', 'acme') RETURNING id)
       INSERT INTO alerts (id, dedupe_key, recipient_user, event_type, subject, account, severity, delivery, title,
                           content, first_event, last_event, created_at, updated_at)
       SELECT 'alr_' || u.tag || lpad(n::text, 2, '0'), u.tag || n, u.id, 'play.opened', 'acme', 'acme', 'critical',
              'immediate', 'Critical play opened: Acme Corp',
              jsonb_build_object('account', jsonb_build_object('id', 'acme', 'name', 'Acme Corp'),
                                 'link', 'http://kw.example/accounts/acme', 'title', 'Critical play opened: Acme Corp'),
              e.id, e.id, $3::timestamptz - (n / 2) * interval '1 hour', $3::timestamptz
       FROM e, (VALUES ($1, 'a', 25), ($2, 'b', 3)) AS u(id, tag, k), generate_series(1, u.k) AS n`,
      [t.users.a.id, t.users.b.id, NOW.toISOString()],
    );
  }, 60_000);
  afterAll(async () => {
    closeMailers();
    await t.app.close();
    await t.smtp.close();
    await t.db.close();
  });
  return t;
}
