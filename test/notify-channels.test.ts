import { createServer } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeHttpAgent,
  createMailer,
  newWebhookSecret,
  postSlack,
  postWebhook,
  type SmtpSettings,
} from "../src/notify/channels/index.js";
import { renderAlertEmail } from "../src/notify/render/alert-email.js";
import { content } from "../src/notify/render/content.fixture.js";
import { slackAlert } from "../src/notify/render/slack.js";
import { webhookBody } from "../src/notify/render/webhook-body.js";
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from "./helpers/receivers.js";

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const smtpFor = (r: { host: string; port: number }, over: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: r.host,
  port: r.port,
  security: "none",
  user: null,
  password: null,
  from: "Keepwell <alerts@keepwell.example>",
  ...over,
});

const email = (id: string) => ({
  to: "casey@example.com",
  message_id: id,
  ...renderAlertEmail(content(), { recipientName: "Casey Smith", occurrences: 1 }),
});

afterAll(() => closeHttpAgent());

describe("email over SMTP", () => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(() => smtp.close());

  it("arrives with a text and an HTML part, its Message-ID and delivery header", async () => {
    const mailer = createMailer(smtpFor(smtp));
    try {
      const r = await mailer.send(email("msg_one"));
      expect(r).toMatchObject({ ok: true, status: 250, error: null, retry_after: null });
      expect(r.response).toMatch(/^250 /);
      expect(r.latency_ms).toBeGreaterThan(0);
      const [m] = await smtp.waitFor(1);
      expect(m?.to).toEqual(["casey@example.com"]);
      expect(m?.from).toBe("alerts@keepwell.example");
      expect(m?.messageId).toBe("<msg_one@keepwell>");
      expect(m?.headers["x-keepwell-delivery"]).toBe("msg_one");
      expect(m?.subject).toBe("Critical play opened: Acme Corp — Executive sponsor call");
      expect(m?.headers["content-type"]).toMatch(/^multipart\/alternative/);
      expect(m?.text).toContain("Acme Corp");
      expect(m?.text).toContain("Score: 62, down 9 in 30 days");
      expect(m?.text).toContain("https://keepwell.example/accounts/acc_1");
      expect(m?.html).toContain('href="https://keepwell.example/accounts/acc_1"');
      expect(m?.html).toContain("Acme Corp");
    } finally {
      mailer.close();
    }
  });

  it("answers a refusal with its code, and the next message goes through", async () => {
    const mailer = createMailer(smtpFor(smtp));
    try {
      const before = smtp.messages.length;
      smtp.refuseNext(1, 451, "Greylisted, try again later");
      const refused = await mailer.send(email("msg_refused"));
      expect(refused.ok).toBe(false);
      expect(refused.status).toBe(451);
      expect(refused.error).toContain(`${smtp.host}:${smtp.port} refused the message`);
      expect(refused.response).toContain("Greylisted");
      const again = await mailer.send(email("msg_refused"));
      expect(again).toMatchObject({ ok: true, status: 250 });
      await smtp.waitFor(before + 1);
      expect(smtp.messages.slice(before).map((m) => m.messageId)).toEqual(["<msg_refused@keepwell>"]);
    } finally {
      mailer.close();
    }
  });

  it("says it could not connect, naming host:port, when nothing listens", async () => {
    const port = await closedPort();
    const mailer = createMailer(smtpFor({ host: "127.0.0.1", port }));
    try {
      const r = await mailer.send(email("msg_nowhere"));
      expect(r.ok).toBe(false);
      expect(r.status).toBeNull();
      expect(r.error).toBe(`could not connect to 127.0.0.1:${port} (ECONNREFUSED)`);
    } finally {
      mailer.close();
    }
  });
});

describe("email with SMTP auth", () => {
  const password = "s3cret-Pa55word!";
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver({ auth: { user: "mailer", password } });
  });
  afterAll(() => smtp.close());

  it("logs in with the configured user and password", async () => {
    const mailer = createMailer(smtpFor(smtp, { user: "mailer", password }));
    try {
      const r = await mailer.send(email("msg_auth"));
      expect(r).toMatchObject({ ok: true, status: 250 });
      const [m] = await smtp.waitFor(1);
      expect(m?.user).toBe("mailer");
    } finally {
      mailer.close();
    }
  });

  it("reports a refused login with 535, never showing the password", async () => {
    const wrong = "not-the-Pa55word";
    const mailer = createMailer(smtpFor(smtp, { user: "mailer", password: wrong }));
    try {
      const r = await mailer.send(email("msg_badauth"));
      expect(r.ok).toBe(false);
      expect(r.status).toBe(535);
      expect(r.error).toContain("refused the login");
      const said = JSON.stringify(r);
      expect(said).not.toContain(wrong);
      expect(said).not.toContain(Buffer.from(`\u0000mailer\u0000${wrong}`).toString("base64"));
    } finally {
      mailer.close();
    }
  });

  it("is refused when it does not log in", async () => {
    const mailer = createMailer(smtpFor(smtp));
    try {
      const r = await mailer.send(email("msg_noauth"));
      expect(r.ok).toBe(false);
      expect(r.status).toBe(530);
    } finally {
      mailer.close();
    }
  });
});

describe("Slack", () => {
  let http: HttpReceiver;
  const token = "T0000000/B0000000/XXXXsecretXXXXtoken";
  beforeAll(async () => {
    http = await startHttpReceiver();
  });
  afterEach(() => http.respond([]));
  afterAll(() => http.close());

  it("posts the Block Kit message with its button to the account", async () => {
    const r = await postSlack(`${http.url}/services/${token}`, slackAlert(content(), 1));
    expect(r).toMatchObject({ ok: true, status: 200, response: "ok", error: null });
    const req = http.requests.at(-1)!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/services/${token}`);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body) as { text: string; blocks: { type: string; elements?: unknown[] }[] };
    expect(body.text).toContain("Acme Corp");
    const actions = body.blocks.find((b) => b.type === "actions");
    expect(actions?.elements).toEqual([
      expect.objectContaining({
        type: "button",
        text: { type: "plain_text", text: "Open account" },
        url: "https://keepwell.example/accounts/acc_1",
      }),
    ]);
  });

  it("passes Slack's answer through without the URL's token", async () => {
    http.respond((req) => ({ status: 404, body: `no_service: nothing at ${req.path}` }));
    const r = await postSlack(`${http.url}/services/${token}`, slackAlert(content(), 1));
    expect(r.ok).toBe(false);
    expect(r.status).toBe(404);
    expect(r.error).toBe(`127.0.0.1:${http.port} answered 404`);
    expect(r.response).toBe("no_service: nothing at [redacted]");
    expect(JSON.stringify(r)).not.toContain("secret");
  });

  it("names only the host when it cannot connect", async () => {
    const port = await closedPort();
    const r = await postSlack(`http://127.0.0.1:${port}/services/${token}`, slackAlert(content(), 1));
    expect(r).toMatchObject({ ok: false, status: null, response: null });
    expect(r.error).toBe(`could not connect to 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("passes 429 and its Retry-After through", async () => {
    http.respond([{ status: 429, headers: { "retry-after": "30" }, body: "rate_limited" }]);
    const r = await postSlack(`${http.url}/services/${token}`, slackAlert(content(), 1));
    expect(r).toMatchObject({ ok: false, status: 429, retry_after: "30", response: "rate_limited" });
  });
});

describe("webhooks", () => {
  let http: HttpReceiver;
  const body = JSON.stringify(webhookBody(7, "play.opened", content()));
  beforeAll(async () => {
    http = await startHttpReceiver();
  });
  afterEach(() => http.respond([]));
  afterAll(() => http.close());

  it("makes Standard Webhooks secrets", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it("arrives signed: the receiver verifies it with the endpoint's secret", async () => {
    const secret = newWebhookSecret();
    const now = new Date();
    const r = await postWebhook(`${http.url}/hooks/keepwell`, { id: "msg_wh1", body }, [secret], now);
    expect(r).toMatchObject({ ok: true, status: 200, error: null });
    const req = http.requests.at(-1)!;
    expect(req.body).toBe(body);
    expect(req.headers["webhook-id"]).toBe("msg_wh1");
    expect(req.headers["webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe("Keepwell-Webhooks/1");
    expect(req.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const headers = req.headers as Record<string, string>;
    expect(new Webhook(secret).verify(req.body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(req.body, headers)).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify(`${req.body} `, headers)).toThrow(/signature/i);
  });

  it("signs with the new and the old secret during a rotation", async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    await postWebhook(`${http.url}/hooks`, { id: "msg_wh2", body }, [current, previous], new Date());
    const req = http.requests.at(-1)!;
    const headers = req.headers as Record<string, string>;
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(req.body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(req.body, headers)).toBeTruthy();
  });

  it("passes 500s through until the receiver answers 200, with the same webhook-id", async () => {
    http.respond([{ status: 500, body: "boom" }, { status: 500 }, { status: 503, body: "busy" }]);
    const secret = newWebhookSecret();
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(await postWebhook(`${http.url}/h`, { id: "msg_retry", body }, [secret], new Date()));
    expect(results.map((r) => [r.ok, r.status])).toEqual([
      [false, 500],
      [false, 500],
      [false, 503],
      [true, 200],
    ]);
    expect(results[0]?.response).toBe("boom");
    expect(results[0]?.error).toBe(`127.0.0.1:${http.port} answered 500`);
    expect(
      http.requests
        .slice(-4)
        .map((q) => q.headers["webhook-id"])
        .every((id) => id === "msg_retry"),
    ).toBe(true);
  });

  it("passes 410 and 429 with Retry-After through, and does not follow redirects", async () => {
    http.respond([
      { status: 410, body: "gone" },
      { status: 429, headers: { "retry-after": "120" } },
      { status: 301, headers: { location: "http://127.0.0.1:1/elsewhere" } },
    ]);
    const send = () =>
      postWebhook(`${http.url}/h`, { id: "msg_codes", body }, [newWebhookSecret()], new Date());
    const before = http.requests.length;
    expect(await send()).toMatchObject({ ok: false, status: 410, response: "gone" });
    expect(await send()).toMatchObject({ ok: false, status: 429, retry_after: "120" });
    const moved = await send();
    expect(moved).toMatchObject({ ok: false, status: 301 });
    expect(moved.error).toContain("redirects are not followed");
    expect(http.requests.length - before).toBe(3);
  });

  it("keeps the query string's token out of the error and the response", async () => {
    http.respond((req) => ({ status: 400, body: `bad request to ${req.path}` }));
    const r = await postWebhook(
      `${http.url}/zap/catch?token=zapTOKEN123456`,
      { id: "msg_q", body },
      [newWebhookSecret()],
      new Date(),
    );
    expect(r.status).toBe(400);
    expect(r.response).toBe("bad request to /zap/catch[redacted]");
    expect(JSON.stringify(r)).not.toContain("zapTOKEN123456");
  });

  it("gives up on a slow receiver after the timeout", async () => {
    http.respond([{ status: 200, delayMs: 2000 }]);
    const r = await postWebhook(
      `${http.url}/slow`,
      { id: "msg_slow", body },
      [newWebhookSecret()],
      new Date(),
      {
        timeoutMs: 200,
      },
    );
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toBe(`no answer from 127.0.0.1:${http.port} within 0.2 s`);
    expect(r.latency_ms).toBeLessThan(1500);
  });

  it("cannot connect while the receiver is down, and delivers once it is up", async () => {
    await http.down();
    const secret = newWebhookSecret();
    try {
      const port = http.port;
      // A kept-alive connection the receiver just dropped may be tried first: either way, no answer.
      const first = await postWebhook(`${http.url}/h`, { id: "msg_down", body }, [secret], new Date());
      expect(first).toMatchObject({ ok: false, status: null });
      expect(first.error).toMatch(new RegExp(`^(could not connect to|127\\.0\\.0\\.1:${port} closed)`));
      const down = await postWebhook(`${http.url}/h`, { id: "msg_down", body }, [secret], new Date());
      expect(down).toMatchObject({ ok: false, status: null });
      expect(down.error).toBe(`could not connect to 127.0.0.1:${port} (ECONNREFUSED)`);
    } finally {
      await http.up();
    }
    const up = await postWebhook(`${http.url}/h`, { id: "msg_down", body }, [secret], new Date());
    expect(up).toMatchObject({ ok: true, status: 200 });
  });

  it("delivers 2,000 webhooks side by side over kept-alive connections", async () => {
    const secrets = [newWebhookSecret()];
    const before = http.requests.length;
    const connectionsBefore = http.connections();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      const out: boolean[] = [];
      for (let i = next++; i < 2000; i = next++)
        out.push((await postWebhook(`${http.url}/bulk`, { id: `msg_b${i}`, body }, secrets, new Date())).ok);
      return out;
    };
    const oks = (await Promise.all(Array.from({ length: 64 }, worker))).flat();
    const perSecond = 2000 / ((performance.now() - started) / 1000);
    expect(oks.filter(Boolean)).toHaveLength(2000);
    expect(new Set(http.requests.slice(before).map((q) => q.headers["webhook-id"])).size).toBe(2000);
    expect(http.connections() - connectionsBefore).toBeLessThanOrEqual(64);
    // ~800–1,100 a second on an idle machine; the bar is low so a busy test run does not fail it.
    expect(perSecond).toBeGreaterThan(250);
  });
});
