import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/store/index.js";
import { DAY, seedFindings, seedSignals, sentenceEvidence } from "../helpers/signals-seed.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  signIn,
  simulatedCompany,
  startServer,
  watchedPage,
} from "./harness.js";

const ADMIN = { email: "admin@keepwell.test", name: "Ada Admin", role: "admin" as const };
const NORTHWIND = "Northwind Analytics";
const MENTION = "Honestly we are looking at Northwind Analytics for next year.";
const EVALUATING = "The team is evaluating other vendors before the renewal.";
const SILENCE = "champion Ravi Martin: last two-way contact 74 days ago; usual gap 9 days";

interface Summary {
  kinds: { kind: string; accounts: number }[];
  landscape: { competitors: { competitor: string; accounts: number }[] };
}

describe("signals in the dashboard", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let errors: string[];
  let csp: string[];
  let key: string;
  /** Three active accounts, the largest ARR first: a and b name Northwind; c is evaluating alternatives. */
  let a: { id: string; name: string };
  let b: { id: string; name: string };
  let c: { id: string; name: string };

  const get = async <T>(path: string): Promise<T> =>
    (await app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } })).json() as T;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(30, 3)]);
    db = company;
    await addUser(db, ADMIN);
    key = await adminKey(db);
    const picked = await db.query<{ id: string; name: string }>(
      "SELECT id, name FROM accounts WHERE status = 'active' AND arr IS NOT NULL ORDER BY arr DESC, id LIMIT 3",
    );
    [a, b, c] = picked as [typeof a, typeof b, typeof c];
    const [contact] = await db.query<{ id: string }>(
      "SELECT id FROM contacts WHERE account = $1 ORDER BY id LIMIT 1",
      [a.id],
    );
    // Only the signals seeded here (whatever detection may have written while the company loaded).
    await db.exec("DELETE FROM signals; DELETE FROM text_findings");
    const now = new Date();
    const ago = (d: number) => new Date(now.getTime() - d * DAY);
    const date = (d: number) => ago(d).toISOString().slice(0, 10);
    await seedSignals(
      db,
      [
        {
          id: "sig-a-mention",
          kind: "competitor_mention",
          account: a.id,
          competitor: NORTHWIND,
          severity: "medium",
          first_seen: ago(12),
          last_seen: ago(2),
          occurrences: 2,
          summary: `${NORTHWIND} named in a ticket`,
          evidence: [sentenceEvidence("tickets", "T-A1", date(2), MENTION, NORTHWIND)],
        },
        {
          id: "sig-a-silence",
          kind: "stakeholder_silence",
          account: a.id,
          contact: contact?.id ?? null,
          severity: "medium",
          first_seen: ago(40),
          last_seen: ago(1),
          summary: "champion silent for 74 days",
          evidence: [{ text: SILENCE, values: { days_since_contact: 74, usual_gap_days: 9 } }],
        },
        {
          id: "sig-a-friction",
          kind: "negotiation_friction",
          account: a.id,
          severity: "high",
          first_seen: ago(90),
          last_seen: ago(60),
          cleared_at: ago(30),
          summary: "renewal discount asked well above the norm",
          evidence: [{ text: "discount requested 35%; the segment's usual 10%" }],
        },
        {
          id: "sig-b-mention",
          kind: "competitor_mention",
          account: b.id,
          competitor: NORTHWIND,
          severity: "medium",
          first_seen: ago(5),
          last_seen: ago(5),
          summary: `${NORTHWIND} named in a note`,
          evidence: [
            sentenceEvidence("notes", "N-B1", date(5), `They demoed ${NORTHWIND} to us.`, NORTHWIND),
          ],
        },
        {
          id: "sig-b-critical",
          kind: "critical_dissatisfaction",
          account: b.id,
          severity: "critical",
          first_seen: ago(3),
          last_seen: ago(3),
          summary: "cancellation requested",
          evidence: [{ text: "open ticket T-B9 tagged cancellation_request" }],
        },
        {
          id: "sig-c-evaluating",
          kind: "evaluating_alternatives",
          account: c.id,
          severity: "high",
          first_seen: ago(4),
          last_seen: ago(4),
          summary: "evaluating other vendors",
          evidence: [sentenceEvidence("notes", "N-C1", date(4), EVALUATING, "evaluating other vendors")],
        },
      ],
      now,
    );
    await seedFindings(db, [
      {
        entity: "tickets",
        record_id: "T-A1",
        account: a.id,
        at: ago(2),
        kind: "competitor_mention",
        competitor: NORTHWIND,
        sentence: MENTION,
        phrase: NORTHWIND,
      },
      {
        entity: "notes",
        record_id: "N-B1",
        account: b.id,
        at: ago(5),
        kind: "competitor_mention",
        competitor: NORTHWIND,
        sentence: `They demoed ${NORTHWIND} to us.`,
        phrase: NORTHWIND,
      },
    ]);
    ({ app, url: base } = await startServer(db));
    ({ context, close: closeBrowser } = await launchBrowser());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
    await db?.close();
  });
  afterEach(async () => {
    await page?.close();
    expect(errors, "console errors").toEqual([]);
    expect(csp, "Content-Security-Policy violations").toEqual([]);
  });
  const open = async (path: string) => {
    ({ page, errors, csp } = await watchedPage(context));
    await signIn(page, base, ADMIN, path);
  };
  const rowIds = async () =>
    page.getByTestId("account-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));

  it("shows accounts per kind, the competitive landscape and recent signals with highlighted evidence", async () => {
    await open("/");
    // An admin's eleven pages, Signals among them, still fit the bar on one line at 1280px.
    const tops = await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link")
      .evaluateAll((links) => links.map((l) => Math.round(l.getBoundingClientRect().top)));
    expect(tops.length).toBe(11);
    expect(new Set(tops).size).toBe(1);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Signals" }).click();
    await page.waitForURL((u) => u.pathname === "/signals");
    await page.getByTestId("signal-tiles").waitFor();
    const summary = await get<Summary>("/api/v1/signals/summary");
    const expected: Record<string, number> = {
      competitor_mention: 2,
      stakeholder_silence: 1,
      negotiation_friction: 0,
      critical_dissatisfaction: 1,
      evaluating_alternatives: 1,
      feature_parity_request: 0,
      champion_departure: 0,
    };
    for (const k of summary.kinds) {
      const tile = page.getByTestId(`signal-tile-${k.kind}`);
      expect(k.accounts, k.kind).toBe(expected[k.kind]);
      expect(Number(await tile.getAttribute("data-accounts")), k.kind).toBe(k.accounts);
      expect(await tile.locator(".tile-value").textContent(), k.kind).toBe(String(k.accounts));
    }
    expect(
      await page.getByTestId("signal-tile-competitor_mention").getByTestId("trend-30").textContent(),
    ).toBe("+2 since 30 days ago");
    expect(await page.getByTestId("signals-total").textContent()).toMatch(
      /^3 accounts have an active signal/,
    );

    const row = page.locator(`[data-testid="landscape-row"][data-competitor="${NORTHWIND}"]`);
    expect(await row.getByTestId("landscape-accounts").textContent()).toBe("2");
    expect(await row.getByRole("link").allTextContents()).toEqual([a.name, b.name]);
    expect(await page.getByTestId("landscape-row").count()).toBe(1);

    const recent = page.getByTestId("recent-signals");
    await recent.getByTestId("signal").first().waitFor();
    // Active only, newest first.
    expect(
      await recent.getByTestId("signal").evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))),
    ).toEqual(["sig-a-silence", "sig-a-mention", "sig-b-critical", "sig-c-evaluating", "sig-b-mention"]);
    const mention = recent.locator('[data-id="sig-a-mention"]');
    expect(await mention.getByTestId("evidence-match").textContent()).toBe(NORTHWIND);
    expect(await mention.getByTestId("evidence-text").textContent()).toBe(MENTION);
    expect(await mention.locator("mark").count()).toBe(1);
    await screenshot(page, "signals");

    // Narrowed to one kind.
    await page.getByTestId("recent-kind").selectOption("evaluating_alternatives");
    await page.waitForURL(/kind=evaluating_alternatives/);
    await expect
      .poll(async () =>
        recent.getByTestId("signal").evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))),
      )
      .toEqual(["sig-c-evaluating"]);
    expect(await recent.getByTestId("evidence-match").textContent()).toBe("evaluating other vendors");

    // The signal's account link leads to its page.
    await recent.getByRole("link", { name: c.name }).click();
    await page.waitForURL((u) => u.pathname === `/accounts/${encodeURIComponent(c.id)}`);
    await page.getByTestId("account-active-signals").waitFor();
  });

  it("lists an account's active and recently cleared signals with their evidence", async () => {
    await open(`/accounts/${encodeURIComponent(a.id)}`);
    const active = page.getByTestId("account-active-signals");
    await active.getByTestId("signal").first().waitFor();
    expect(
      await active.getByTestId("signal").evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))),
    ).toEqual(["sig-a-silence", "sig-a-mention"]);
    expect(await page.getByTestId("signals-count").textContent()).toBe("Two signals active now.");
    const mention = active.locator('[data-id="sig-a-mention"]');
    expect(await mention.getByTestId("evidence-match").textContent()).toBe(NORTHWIND);
    const source = mention.getByTestId("evidence-source");
    expect(await source.textContent()).toMatch(/^ticket T-A1 · /);
    expect(await source.getByRole("link").getAttribute("href")).toBe(
      `/accounts/${encodeURIComponent(a.id)}#timeline-title`,
    );
    expect(await mention.textContent()).toContain("seen twice");
    const silence = active.locator('[data-id="sig-a-silence"]');
    expect(await silence.getByTestId("evidence-text").textContent()).toBe(SILENCE);
    expect(await silence.locator("mark").count()).toBe(0);
    const recent = page.getByTestId("account-recent-signals");
    expect(
      await recent.getByTestId("signal").evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))),
    ).toEqual(["sig-a-friction"]);
    expect(await recent.textContent()).toContain("cleared");
    await page.locator("#account-signals-title").scrollIntoViewIfNeeded();
    await screenshot(page, "account-signals");
  });

  it("narrows the portfolio table to accounts with an active signal of a kind", async () => {
    await open("/");
    await page.getByTestId("account-row").first().waitFor();
    const all = await rowIds();
    expect(all.length).toBeGreaterThan(3);
    await page.getByTestId("filter-signal").selectOption("competitor_mention");
    await page.waitForURL(/signal=competitor_mention/);
    await expect.poll(async () => new Set(await rowIds())).toEqual(new Set([a.id, b.id]));
    await page.getByTestId("filter-signal").selectOption("negotiation_friction");
    await page.waitForURL(/signal=negotiation_friction/);
    await page.getByTestId("no-accounts").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((u) => !u.search.includes("signal="));
    await expect.poll(async () => (await rowIds()).length).toBe(all.length);

    // The Signals page's tile leads to the same filter.
    await page.goto(`${base}/signals`);
    await page
      .getByTestId("signal-tile-evaluating_alternatives")
      .getByRole("link", { name: /See the accounts/ })
      .click();
    await page.waitForURL(/signal=evaluating_alternatives/);
    await expect.poll(rowIds).toEqual([c.id]);
    expect(await page.getByTestId("filter-signal").inputValue()).toBe("evaluating_alternatives");
  });
});
