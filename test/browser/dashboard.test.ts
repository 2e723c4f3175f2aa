import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BacktestReport, trainAndStore } from "../../src/predict/index.js";
import { type Db, migrate, openPglite } from "../../src/store/index.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  launchBrowser,
  markTime,
  screenshot,
  signIn,
  simulatedCompany,
  startServer,
  watchedPage,
} from "./harness.js";

const ADMIN = { email: "admin@keepwell.test", name: "Ada Admin", role: "admin" as const };

interface Row {
  id: string;
  name: string;
  band: string | null;
  score: number | null;
}

describe("the dashboard in Chromium", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let errors: string[];
  let csp: string[];
  let key: string;

  const get = async <T>(path: string): Promise<T> =>
    (await app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } })).json() as T;
  const allAccounts = async () =>
    (await get<{ data: Row[] }>("/api/v1/accounts?status=active&sort=id&limit=1000")).data;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(60, 12)]);
    db = company;
    await trainAndStore(db, { horizonDays: 90 });
    await addUser(db, ADMIN);
    key = await adminKey(db);
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
  /** A new page, signed in as the admin through the sign-in page, which then leads to `path`. */
  const open = async (path: string) => {
    ({ page, errors, csp } = await watchedPage(context));
    await signIn(page, base, ADMIN, path);
  };

  it("shows the portfolio with the same band counts as the API, a distribution and a table with sparklines", async () => {
    await open("/");
    await page.getByTestId("band-tiles").waitFor();
    await page.getByTestId("account-row").first().waitFor();
    await page.locator("svg.sparkline").first().waitFor();
    const portfolio = await get<{ bands: { band: string; accounts: number }[] }>("/api/v1/portfolio");
    for (const band of ["healthy", "watch", "at_risk", "critical"]) {
      const tile = page.getByTestId(`band-tile-${band}`);
      const expected = portfolio.bands.find((b) => b.band === band)?.accounts ?? 0;
      expect(Number(await tile.getAttribute("data-accounts")), band).toBe(expected);
      expect(await tile.locator(".tile-value").textContent(), band).toBe(String(expected));
    }
    expect(await page.locator(".chart svg rect").count()).toBeGreaterThan(5);
    const active = portfolio.bands.reduce((s, b) => s + b.accounts, 0);
    expect(await page.getByTestId("account-row").count()).toBe(Math.min(50, active));
    // Sorted by score, lowest first: the table agrees with the API's order.
    const api = (await get<{ data: Row[] }>("/api/v1/accounts?status=active&sort=score&limit=50")).data;
    const ids = await page
      .getByTestId("account-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    expect(ids).toEqual(api.map((a) => a.id));
    const table = await markTime(page, "keepwell:portfolio-table");
    const summary = await markTime(page, "keepwell:portfolio-summary");
    console.log(
      `portfolio first render (60 accounts): table ${table?.toFixed(0)} ms, tiles+histogram ${summary?.toFixed(0)} ms`,
    );
    await screenshot(page, "portfolio");
  });

  it("filters the table to at-risk accounts, and searches by name", async () => {
    await open("/");
    await page.getByTestId("account-row").first().waitFor();
    await page.getByTestId("filter-band-at_risk").click();
    await page.waitForURL(/band=at_risk/);
    const expected = (await allAccounts()).filter((a) => a.band === "at_risk");
    expect(expected.length).toBeGreaterThan(0);
    await expect
      .poll(async () =>
        page.getByTestId("account-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-band"))),
      )
      .toEqual(expected.slice(0, 50).map(() => "at_risk"));
    await expect.poll(async () => page.locator("[aria-busy=true]").count()).toBe(0);
    const shown = await page
      .getByTestId("account-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    expect(new Set(shown)).toEqual(new Set(expected.slice(0, 50).map((a) => a.id)));
    await screenshot(page, "portfolio-at-risk");

    const target = expected[0]!;
    await page.getByTestId("filter-band-at_risk").click();
    await page.getByRole("searchbox").fill(target.name.slice(0, 6));
    await page.waitForURL(/q=/);
    const query = target.name.slice(0, 6).toLowerCase();
    const names = async () => {
      if (await page.locator("[aria-busy=true]").count()) return ["(loading)"];
      return page.getByTestId("account-row").locator(".account-link").allTextContents();
    };
    await expect.poll(async () => (await names()).every((n) => n.toLowerCase().includes(query))).toBe(true);
    expect(await names()).toContain(target.name);
  });

  it("shows an account's score, its explanation, its history chart, trends, timeline and contacts", async () => {
    const accounts = await allAccounts();
    const target = accounts.find((a) => a.band === "at_risk") ?? accounts[0]!;
    const score = await get<{
      score: number;
      explanation: { band_reason: string; drags: { label: string }[] };
    }>(`/api/v1/accounts/${target.id}/score`);
    const history = await get<{ history: unknown[] }>(`/api/v1/accounts/${target.id}/scores`);
    await open("/");
    await page.getByRole("link", { name: target.name, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/accounts/${target.id}$`));
    await page.getByTestId("explanation").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(target.name);
    expect(await page.getByTestId("band-reason").textContent()).toBe(score.explanation.band_reason);
    const explanation = await page.getByTestId("explanation").textContent();
    for (const d of score.explanation.drags) expect(explanation).toContain(d.label);
    expect(await page.getByTestId("categories").locator("li").count()).toBe(4);
    const chart = page.getByTestId("history-chart");
    await chart.waitFor();
    expect(await chart.locator("circle").count()).toBe(history.history.length + 1);
    expect(await chart.locator("line.threshold").count()).toBe(2);
    await page.getByTestId("timeline").waitFor();
    await page.getByTestId("contacts").waitFor();
    expect(await page.locator(".mini-line").count()).toBeGreaterThan(3);
    // The churn model's view: the probability and each driver the API gives, which way it pushes.
    const prediction = await get<{
      churn_probability: number;
      drivers: { label: string; effect: string }[];
    }>(`/api/v1/accounts/${target.id}/prediction`);
    await page.getByTestId("churn-risk").waitFor();
    expect(await page.getByTestId("churn-probability").textContent()).toBe(
      `${(prediction.churn_probability * 100).toFixed(1)}%`,
    );
    const drivers = page.getByTestId("churn-drivers").locator("li");
    expect(await drivers.count()).toBe(prediction.drivers.length);
    for (const [i, d] of prediction.drivers.entries()) {
      expect((await drivers.nth(i).textContent())?.toLowerCase()).toContain(d.label.toLowerCase());
      expect(await drivers.nth(i).getAttribute("class")).toBe(d.effect);
    }
    await screenshot(page, "account");
  });

  it("shows what separates healthy from at-risk accounts, distributions by segment and owner, and band movement", async () => {
    await open("/segments");
    await page.getByTestId("separation").waitFor();
    expect(await page.getByTestId("separation").locator("tbody tr").count()).toBeGreaterThan(3);
    await page.getByTestId("distribution-segment").waitFor();
    await page.getByTestId("distribution-owner").waitFor();
    await page.getByTestId("movement-matrix").waitFor();
    const portfolio = await get<{ segments: unknown[] }>("/api/v1/portfolio");
    expect(await page.getByTestId("distribution-segment").locator("tbody tr").count()).toBe(
      portfolio.segments.length,
    );
    await screenshot(page, "segments");
  });

  it("shows the churn model's backtest beside the scorecard's, as the API reports it", async () => {
    // The small company has nobody near the flag: make two accounts the riskiest, as a model would.
    await db.query(
      `UPDATE current_scores SET churn_probability = 0.9 WHERE account IN
         (SELECT account FROM current_scores c JOIN accounts a ON a.id = c.account
          WHERE a.status = 'active' ORDER BY account LIMIT 2)`,
    );
    await open("/model");
    await page.getByTestId("model-compare").waitFor();
    const report = await get<BacktestReport & { model_version: number }>("/api/v1/model/report");
    for (const [row, key] of [
      ["compare-lead_60", "lead_60_share"],
      ["compare-auc", "auc"],
      ["compare-precision", "precision"],
      ["compare-brier", "brier"],
    ] as const) {
      const cells = page.getByTestId(row).locator("td");
      for (const [i, side] of [report.model, report.scorecard].entries())
        expect(await cells.nth(i).getAttribute("data-value"), `${row} ${i}`).toBe(String(side[key] ?? ""));
    }
    const churners = report.model.lead.churners;
    expect(await page.getByTestId("model-summary").textContent()).toMatch(
      churners === 0 ? /could not judge lead time yet/ : new RegExp(`On the ${churners} churner`),
    );
    expect(await page.getByTestId("tradeoff-row").count()).toBe(report.model.lead_by_precision.length);
    const bins = report.model.calibration?.filter((b) => b.count > 0).length ?? 0;
    expect(bins).toBeGreaterThan(0);
    expect(await page.getByTestId("reliability").locator("circle").count()).toBe(bins);
    expect(await page.getByTestId("model-versions").locator("tbody tr").count()).toBe(1);
    const forecast = await get<{ total: { expected_churns: number; flagged: number }; segments: unknown[] }>(
      "/api/v1/model/forecast",
    );
    expect(await page.getByTestId("forecast-churns").locator(".tile-value").textContent()).toBe(
      forecast.total.expected_churns.toFixed(1),
    );
    expect(await page.getByTestId("forecast-flagged").locator(".tile-value").textContent()).toBe(
      String(forecast.total.flagged),
    );
    expect(await page.getByTestId("forecast-segment").count()).toBe(forecast.segments.length);
    expect(await page.getByTestId("forecast-chart").locator("rect").count()).toBe(
      report.model.forecast.by_date.length,
    );
    // Did the forecast hold, in accounts and then in ARR: the error shown is the report's.
    const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(0)}%`);
    expect(await page.getByTestId("forecast-error").textContent()).toBe(
      pct(report.model.forecast.mean_abs_error),
    );
    expect(report.model.forecast.mean_abs_error_arr).not.toBeNull();
    await page.getByTestId("forecast-measure-arr").click();
    expect(await page.getByTestId("forecast-measure-arr").getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByTestId("forecast-error").textContent()).toBe(
      pct(report.model.forecast.mean_abs_error_arr),
    );
    expect(await page.getByTestId("forecast-chart").getAttribute("aria-label")).toMatch(/in ARR$/);
    expect(await page.getByTestId("forecast-range").count()).toBe(report.model.forecast.by_date.length);
    expect(await page.getByTestId("forecast-within").textContent()).toContain(
      pct(report.model.forecast.spread.arr.within_range),
    );
    expect(await page.getByRole("link", { name: "Churn model" }).getAttribute("class")).toBe("active");
    await screenshot(page, "model");

    // From the flagged tile to the portfolio filtered to those accounts, riskiest first.
    expect(forecast.total.flagged).toBeGreaterThan(0);
    {
      await page.getByRole("link", { name: /See the flagged accounts/ }).click();
      await page.waitForURL(/flagged=yes/);
      await page.getByTestId("account-row").first().waitFor();
      const api = (
        await get<{ data: Row[] }>(
          "/api/v1/accounts?status=active&flagged=true&sort=-churn_probability&limit=50",
        )
      ).data;
      expect(api.length).toBe(Math.min(50, forecast.total.flagged));
      const ids = await page
        .getByTestId("account-row")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
      expect(ids).toEqual(api.map((a) => a.id));
      expect(await page.locator(".tag.flagged").count()).toBe(ids.length);
      expect(await page.getByLabel("Churn flag").inputValue()).toBe("yes");
      await screenshot(page, "portfolio-flagged");
    }
  });

  it("shows errors at the field, saves a weight change as a new version, and rescoring changes scores", async () => {
    const before = await allAccounts();
    await open("/scorecard");
    const weight = page.locator('[data-path="categories[1].weight"]');
    await weight.waitFor();
    await weight.fill("-3");
    const fieldError = page.locator('.field-error[data-field="categories[1].weight"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/positive/);
    expect(await page.getByTestId("save-scorecard").isDisabled()).toBe(true);
    await screenshot(page, "scorecard-error");
    await weight.fill("20");
    await fieldError.waitFor({ state: "detached" });
    await page.locator('[data-path="categories[0].weight"]').fill("5");
    await page.locator('[data-testid="check-state"][data-state="valid"]').waitFor();
    await page.getByTestId("save-scorecard").click();
    await page.getByTestId("saved").waitFor();
    expect(await page.getByTestId("saved").textContent()).toContain("version 2");
    await page.getByTestId("rescore").click();
    await page.getByTestId("rescore-effect").waitFor({ timeout: 60_000 });
    const changed = Number(await page.getByTestId("changed-count").textContent());
    expect(changed).toBeGreaterThan(0);
    await screenshot(page, "scorecard-rescored");

    const after = await allAccounts();
    const moved = after.filter((a) => before.find((b) => b.id === a.id)?.score !== a.score);
    expect(moved.length).toBe(changed);
    const versions = await db.query<{ v: number }>(
      "SELECT DISTINCT scorecard_version AS v FROM current_scores",
    );
    expect(versions.map((r) => r.v)).toEqual([2]);
  });
});

describe("the dashboard on an empty store", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await ensureWebBuilt();
    db = await openPglite();
    await migrate(db);
    await addUser(db, ADMIN);
    ({ app, url: base } = await startServer(db));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it("says what to do on every page instead of showing a blank one", async () => {
    const { page, errors, csp } = await watchedPage(browser.context);
    await signIn(page, base, ADMIN);
    const expectations: [string, RegExp][] = [
      ["/", /No accounts yet/],
      ["/segments", /Needs a few healthy and a few at-risk accounts/],
      ["/scorecard", /Product engagement/],
      ["/model", /No churn model yet/],
      ["/nowhere", /Page not found/],
    ];
    for (const [path, text] of expectations) {
      await page.goto(`${base}${path}`);
      await page.getByText(text).first().waitFor();
      await expect.poll(async () => page.locator(".state-loading").count(), { timeout: 10_000 }).toBe(0);
      await screenshot(page, path === "/" ? "empty-portfolio" : `empty${path.replaceAll("/", "-")}`);
    }
    await page.close();
    expect(errors).toEqual([]);
    expect(csp, "Content-Security-Policy violations").toEqual([]);
  });
});
