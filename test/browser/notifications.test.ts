import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/index.js";
import { secretBox, type User } from "../../src/auth/index.js";
import { JOBS, JobQueue, startWorkers } from "../../src/jobs/index.js";
import { closeMailers } from "../../src/notify/index.js";
import type { Db } from "../../src/store/index.js";
import { startSmtpReceiver } from "../helpers/receivers.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  FAILED_WITH,
  launchBrowser,
  screenshot,
  signIn,
  simulatedCompany,
  unexpected,
  watchedPage,
} from "./harness.js";

const ADMIN = { email: "admin@keepwell.test", name: "Ada Admin", role: "admin" as const };
// The simulated data names its CSMs: this user's accounts are those it gives "Maya Chen".
const CSM = { email: "maya@keepwell.test", name: "Maya Chen", role: "csm" as const };
const SECRETS = secretBox("test-secret-key-0123456789abcdef");

type Received = { headers: IncomingHttpHeaders; body: string };

/** A real HTTP receiver for the webhooks: records every call and answers 200. */
async function receiver(): Promise<{ url: string; calls: Received[]; close: () => Promise<void> }> {
  const calls: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/keepwell`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const until = async (what: string, ok: () => Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

describe("alerts in the dashboard", () => {
  let db: Db;
  let jobs: JobQueue;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let key: string;
  let csm: User;
  let page: Page;
  let errors: string[];
  let csp: string[];
  /** Console lines the running test provokes on purpose (a 400 it sends). */
  let provoked: RegExp[] = [];
  /** The endpoint the admin makes, and the secret the page showed once. */
  let endpoint: { id: string; secret: string };

  const get = async <T>(path: string): Promise<T> =>
    (await app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } })).json() as T;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(30, 6)]);
    db = company;
    await addUser(db, ADMIN);
    csm = await addUser(db, CSM);
    key = await adminKey(db);
    // What building the company announced is history: this test follows what happens from here on.
    await db.query("UPDATE notify_events SET routed_at = now() WHERE routed_at IS NULL");
    hooks = await receiver();

    jobs = await JobQueue.open(db);
    app = await buildServer({
      db,
      jobs,
      secrets: SECRETS,
      config: { bodyLimit: 64 * 1024 * 1024, logLevel: "silent" },
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The workers `keepwell serve` runs: playbooks, routing the events into alerts, deliveries.
    await startWorkers({ db, jobs, clock: () => new Date(), secrets: SECRETS, config: { publicUrl: base } });
    ({ context, close: closeBrowser } = await launchBrowser());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
    await jobs?.stop();
    await hooks?.close();
    await db?.close();
  });
  afterEach(async () => {
    await page?.close();
    expect(unexpected(errors, ...provoked), "console errors").toEqual([]);
    expect(csp, "Content-Security-Policy violations").toEqual([]);
  });
  const open = async (who: { email: string; name: string }, path = "/", expected: RegExp[] = []) => {
    provoked = expected;
    ({ page, errors, csp } = await watchedPage(context));
    await context.clearCookies();
    await signIn(page, base, who, path);
  };
  const bell = () => page.getByRole("button", { name: /^Notifications: \d+ unread$/ });

  it("rings the CSM's bell when a play opens for her, and opens its account from the notification", async () => {
    const [account] = await db.query<{ id: string; name: string }>(
      "SELECT a.id, a.name FROM accounts a JOIN current_scores cs ON cs.account = a.id WHERE a.owner = $1 AND a.status = 'active' ORDER BY a.id LIMIT 1",
      [CSM.name],
    );
    expect(account, "an account of the CSM's").toBeDefined();
    await open(CSM);
    await expect.poll(() => bell().getAttribute("data-unread")).toBe("0");
    expect(await page.getByTestId("bell-count").count()).toBe(0);

    // The account falls into watch; the worker evaluates the playbooks, routes the play's opening into her alert.
    await db.query("UPDATE current_scores SET score = 68, band = 'watch' WHERE account = $1", [account!.id]);
    await jobs.send(JOBS.evaluatePlaybooks, { as_of: new Date().toISOString(), accounts: [account!.id] });
    jobs.wake(JOBS.evaluatePlaybooks);
    await until("the play's alert", async () => {
      const [a] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM alerts WHERE recipient_user = $1 AND event_type = 'play.opened'",
        [csm.id],
      );
      return (a?.n ?? 0) > 0;
    });
    const [play] = await db.query<{ id: string; owner_user: string }>(
      "SELECT id, owner_user FROM plays WHERE account = $1 AND state <> 'closed'",
      [account!.id],
    );
    expect(play?.owner_user).toBe(csm.id);

    // The bell asks again when the window comes back into focus (and every 30 seconds).
    await page.evaluate('window.dispatchEvent(new Event("focus"))');
    await expect.poll(() => bell().getAttribute("data-unread")).toBe("1");
    expect(await page.getByTestId("bell-count").textContent()).toBe("1");
    expect(await bell().getAttribute("aria-label")).toBe("Notifications: 1 unread");

    await bell().click();
    const item = page.getByTestId("bell-item");
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.getAttribute("data-read")).toBe("no");
    expect(await item.textContent()).toContain(account!.name);
    await screenshot(page, "bell-open");

    await item.click();
    await page.waitForURL((u) => u.pathname === `/accounts/${account!.id}`);
    await page.getByTestId("band-reason").waitFor();
    await expect.poll(() => bell().getAttribute("data-unread")).toBe("0");
    expect(await page.getByTestId("bell-count").count()).toBe(0);
    const [alert] = await db.query<{ read_at: string | null; play_id: string }>(
      "SELECT read_at, play_id FROM alerts WHERE recipient_user = $1 AND event_type = 'play.opened'",
      [csm.id],
    );
    expect(alert?.play_id).toBe(play!.id);
    expect(alert?.read_at).not.toBeNull();

    // The Notifications page lists it, read; an admin's links are not in her header.
    await page.goto(`${base}/notifications`);
    const row = page.getByTestId("notification");
    await row.first().waitFor();
    expect(await row.getAttribute("data-read")).toBe("yes");
    expect(await row.getAttribute("data-event")).toBe("play.opened");
    const nav = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    expect(nav).not.toContain("Webhooks");
    await bell().click();
    const panel = page.getByTestId("bell-panel");
    await panel.getByRole("link", { name: "All notifications and preferences" }).waitFor();
    expect(await panel.getByRole("link").allTextContents()).not.toContain("Webhooks");
    expect(await page.getByRole("link", { name: "Notification settings" }).count()).toBe(0);
  });

  it("lets an admin add a webhook endpoint and shows its secret once", async () => {
    // An admin's bell leads to the webhooks and the notification settings (the main bar is full).
    await open(ADMIN);
    await bell().click();
    const panel = page.getByTestId("bell-panel");
    expect(await panel.getByRole("link", { name: "Notification settings" }).count()).toBe(1);
    await panel.getByRole("link", { name: "Webhooks" }).click();
    await page.waitForURL((u) => u.pathname === "/webhooks");
    expect(await panel.count()).toBe(0);
    const form = page.getByRole("form", { name: "Add a webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill(hooks.url);
    await form.getByLabel("Description").fill("Our CRM sync");
    await form.getByRole("checkbox", { name: "Play opened" }).check();
    await form.getByRole("checkbox", { name: "Band changed" }).check();
    await form.getByRole("button", { name: "Add the endpoint" }).click();

    const notice = page.getByTestId("secret-notice");
    await notice.waitFor();
    const secret = await page.getByLabel("The signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);
    const row = page.locator(`[data-testid="endpoint"][data-url="${hooks.url}"]`);
    await row.waitFor();
    const id = (await row.getAttribute("data-id"))!;
    expect(await row.textContent()).toContain("Play opened, Band changed");
    expect(await row.getAttribute("data-state")).toBe("active");
    endpoint = { id, secret };
    await screenshot(page, "webhook-secret-once");

    const listed = await get<{ items: { id: string; event_types: string[] }[] }>("/api/v1/webhooks");
    expect(listed.items.find((w) => w.id === id)?.event_types.sort()).toEqual([
      "account.band_changed",
      "play.opened",
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));

    // A test send goes out at once and says how it went; the receiver checks the signature.
    const before = hooks.calls.length;
    await row.getByTestId("send-test").click();
    const result = row.getByTestId("test-result");
    await result.waitFor();
    expect(await result.getAttribute("data-state")).toBe("delivered");
    expect(await result.textContent()).toContain("Test delivered (200)");
    expect(hooks.calls.length).toBe(before + 1);
    const call = hooks.calls.at(-1)!;
    const sent = new Webhook(secret).verify(call.body, {
      "webhook-id": String(call.headers["webhook-id"]),
      "webhook-timestamp": String(call.headers["webhook-timestamp"]),
      "webhook-signature": String(call.headers["webhook-signature"]),
    }) as { type: string };
    expect(sent.type).toBe("webhook.test");

    // Disabled, then enabled again.
    await row.getByTestId("disable-endpoint").click();
    await expect.poll(() => row.getAttribute("data-state")).toBe("disabled");
    expect(await row.getByTestId("send-test").isDisabled()).toBe(true);
    await row.getByTestId("enable-endpoint").click();
    await expect.poll(() => row.getAttribute("data-state")).toBe("active");

    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId("secret-notice").count()).toBe(0);
    expect(await page.content()).not.toContain(secret.slice(6));
  });

  it("shows the admin a dead letter with its attempts, and replays it to the receiver with the same webhook-id", async () => {
    expect(endpoint, "the endpoint the previous test made").toBeDefined();
    const id = `dl_${randomUUID().replaceAll("-", "")}`;
    const failedAt = new Date(Date.now() - 3_600_000);
    const body = {
      id: "1",
      type: "play.opened",
      timestamp: failedAt.toISOString(),
      data: { account: { id: "acme", name: "Acme" }, reason: "replayed by the browser test" },
    };
    // A delivery that used up its schedule against a receiver that was down.
    await db.query(
      `INSERT INTO deliveries (id, channel, endpoint_id, event_type, target, body, state, attempts, last_status,
                               last_error, last_response, created_at, dead_at)
       VALUES ($1, 'webhook', $2, 'play.opened', $3, $4::jsonb, 'dead', 2, 503, 'the receiver answered 503',
               'upstream is down', $5, $5)`,
      [id, endpoint.id, hooks.url, JSON.stringify(body), failedAt],
    );
    await db.query(
      `INSERT INTO delivery_attempts (delivery_id, n, started_at, finished_at, status, error, response, latency_ms)
       VALUES ($1, 1, $2, $2, 500, 'the receiver answered 500', 'boom', 41),
              ($1, 2, $2, $2, 503, 'the receiver answered 503', 'upstream is down', 37)`,
      [id, failedAt],
    );

    await open(ADMIN, "/webhooks?tab=dead");
    const row = page.locator(`[data-testid="delivery"][data-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-state")).toBe("dead");
    await row.getByTestId("delivery-open").click();
    const detail = page.locator(`[data-testid="delivery-detail"][data-id="${id}"]`);
    await detail.waitFor();
    const attempts = detail.getByTestId("attempt");
    expect(await attempts.count()).toBe(2);
    expect(await attempts.nth(1).getByTestId("attempt-status").textContent()).toBe("503");
    expect(await attempts.nth(1).getByTestId("attempt-latency").textContent()).toBe("37 ms");
    expect(await attempts.nth(1).textContent()).toContain("upstream is down");
    await screenshot(page, "dead-letter");

    await row.getByRole("button", { name: `Replay delivery ${id}` }).click();
    await expect.poll(() => row.getAttribute("data-state")).not.toBe("dead");

    // The worker sends it again: signed with the endpoint's secret, the delivery's id as webhook-id.
    await until(
      "the replayed webhook",
      async () => hooks.calls.some((c) => c.headers["webhook-id"] === id),
      75_000,
    );
    const call = hooks.calls.find((c) => c.headers["webhook-id"] === id)!;
    const verified = new Webhook(endpoint.secret).verify(call.body, {
      "webhook-id": String(call.headers["webhook-id"]),
      "webhook-timestamp": String(call.headers["webhook-timestamp"]),
      "webhook-signature": String(call.headers["webhook-signature"]),
    });
    expect(verified).toEqual(body);
    await until("the delivery recorded", async () => {
      const d = await get<{ state: string; attempts: unknown[] }>(`/api/v1/deliveries/${id}`);
      return d.state === "delivered" && d.attempts.length === 3;
    });

    await page.reload();
    await page.getByTestId("no-deliveries").waitFor();
    await page.getByTestId("tab-deliveries").click();
    await page.getByTestId("delivery-state-filter").selectOption("delivered");
    await page.locator(`[data-testid="delivery"][data-id="${id}"][data-state="delivered"]`).waitFor();
  });

  it("lets an admin set SMTP with a write-only password and send a test email through it", async () => {
    const PASS = "smtp-pass-7f3a91";
    const smtp = await startSmtpReceiver({ auth: { user: "keepwell", password: PASS } });
    try {
      await open(ADMIN, "/settings/notifications", [FAILED_WITH(400)]);
      const here = page
        .getByRole("navigation", { name: "Alerts" })
        .getByRole("link", { name: "Notification settings" });
      expect(await here.getAttribute("aria-current")).toBe("page");
      const form = page.getByRole("form", { name: "Notification settings" });
      await form.getByTestId("use-smtp").check();
      await form.getByLabel("SMTP host").fill(smtp.host);
      await form.getByLabel("Security").selectOption("none");
      await form.getByLabel("Port").fill(String(smtp.port));
      await form.getByLabel("User").fill("keepwell");
      await form.getByLabel(/^Password/).fill(PASS);
      await form.getByLabel("From address").fill("Keepwell <alerts@keepwell.test>");
      await form.getByLabel("Alerts per person per day").fill("0");
      await form.getByTestId("save-settings").click();
      // Out of range: the field says so, nothing is stored.
      const budget = form.getByLabel("Alerts per person per day");
      await expect.poll(() => budget.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByTestId("form-error").textContent()).toContain("Some settings need another look");
      expect(await get<{ smtp: unknown }>("/api/v1/notifications/settings")).toMatchObject({ smtp: null });

      await form.getByLabel("Alerts per person per day").fill("12");
      await form.getByTestId("save-settings").click();
      await page.getByTestId("settings-saved").waitFor();
      expect(await form.getByTestId("smtp-password-set").getAttribute("data-set")).toBe("yes");
      expect(await form.getByLabel(/^Password/).inputValue()).toBe("");
      const stored = await get<{ smtp: { host: string; password_set: boolean }; budget_per_day: number }>(
        "/api/v1/notifications/settings",
      );
      expect(stored).toMatchObject({ smtp: { host: smtp.host, password_set: true }, budget_per_day: 12 });
      expect(JSON.stringify(stored)).not.toContain(PASS);

      await page.reload();
      await form.getByTestId("smtp-password-set").waitFor();
      expect(await form.getByTestId("smtp-password-set").getAttribute("data-set")).toBe("yes");
      expect(await page.content()).not.toContain(PASS);

      const test = page.getByRole("form", { name: "Send a test email" });
      await test.getByLabel("Send to").fill("ops@keepwell.test");
      await test.getByTestId("send-test-email").click();
      const result = page.getByTestId("test-email-result");
      await result.waitFor();
      expect(await result.getAttribute("data-state")).toBe("delivered");
      const [mail] = await smtp.waitFor(1);
      expect(mail?.to).toEqual(["ops@keepwell.test"]);
      expect(mail?.user).toBe("keepwell");
      await screenshot(page, "notification-settings");
    } finally {
      // The senders keep their SMTP connections pooled: ended first, the receiver closes at once.
      closeMailers();
      await smtp.close();
    }
  });

  it("lets a person choose how they are told and what they follow on the Notifications page", async () => {
    await open(CSM, "/notifications", [FAILED_WITH(400)]);
    // Everything was read in the first test: the unread filter shows nothing.
    await page.getByTestId("notification").first().waitFor();
    await page.getByTestId("unread-only").check();
    await page.waitForURL((u) => u.search === "?unread=true");
    expect(await page.getByTestId("no-notifications").textContent()).toBe("Nothing unread.");

    const prefs = page.getByRole("form", { name: "Notification preferences" });
    // Slack without a webhook URL: the server names the field.
    await prefs.getByLabel("Post to my Slack").check();
    await prefs.getByTestId("save-prefs").click();
    const slackUrl = prefs.getByLabel(/^My Slack webhook URL/);
    await expect.poll(() => slackUrl.getAttribute("aria-invalid")).toBe("true");
    await prefs.getByLabel("Post to my Slack").uncheck();
    await prefs.getByLabel("When to tell me").selectOption("digest");
    await prefs.getByLabel("Digest hour").selectOption("7");
    await prefs.getByLabel("Hold immediate alerts during quiet hours").check();
    await prefs.getByLabel("Quiet from").fill("21:30");
    await prefs.getByLabel("Quiet until").fill("06:45");
    await prefs.getByLabel("Time zone").fill("Europe/Paris");
    await prefs.getByTestId("save-prefs").click();
    await page.getByTestId("prefs-saved").waitFor();
    await page.reload();
    await prefs.getByLabel("Quiet from").waitFor();
    expect(await prefs.getByLabel("When to tell me").inputValue()).toBe("digest");
    expect(await prefs.getByLabel("Digest hour").inputValue()).toBe("7");
    expect(await prefs.getByLabel("Quiet from").inputValue()).toBe("21:30");
    expect(await prefs.getByLabel("Quiet until").inputValue()).toBe("06:45");
    expect(await prefs.getByLabel("Time zone").inputValue()).toBe("Europe/Paris");

    const [account] = await db.query<{ id: string }>("SELECT id FROM accounts ORDER BY id LIMIT 1");
    const follow = page.getByRole("form", { name: "Follow something" });
    const rows = page.getByTestId("subscription");
    await follow.getByLabel("Account id").fill("no-such-account");
    await follow.getByTestId("add-subscription").click();
    await expect.poll(() => follow.getByLabel("Account id").getAttribute("aria-invalid")).toBe("true");
    await follow.getByLabel("Account id").fill(account!.id);
    await follow.getByRole("checkbox", { name: "Band changed" }).check();
    await follow.getByTestId("add-subscription").click();
    await page
      .locator(`[data-testid="subscription"][data-scope="account"][data-value="${account!.id}"]`)
      .waitFor();
    await follow.getByLabel("What to follow").selectOption("band");
    await follow.getByLabel("Band", { exact: true }).selectOption("critical");
    await follow.getByTestId("add-subscription").click();
    await page.locator('[data-testid="subscription"][data-scope="band"][data-value="critical"]').waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/Band changed|all/);
    await screenshot(page, "notifications-page");

    await rows.first().getByTestId("remove-subscription").click();
    await expect.poll(() => rows.count()).toBe(1);
  });
});
