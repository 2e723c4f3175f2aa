/**
 * `npm run bench -- dashboard [--accounts 10000] [--runs 5] [--history-months 12]`
 *
 * The portfolio page's first render in headless Chromium against the bench
 * company (PGlite): from navigation start until the band tiles, the score
 * distribution and the first page of the account table are on screen, read
 * from performance marks the app sets. Also times the API calls behind it,
 * paging and filtering, and the other pages' heaviest queries.
 */
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { findUserByEmail } from "../src/auth/index.js";
import { activeScorecard, backfill, runScoring } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  launchBrowser,
  markTime,
  signIn,
  startServer,
} from "../test/browser/harness.js";
import { BENCH_END, companyStore } from "./company.js";
import { argValue } from "./store-for-bench.js";

const AS_OF = `${BENCH_END}T00:00:00.000Z`;
const BENCH_USER = { email: "bench.viewer@bench.example", name: "Bench Viewer" };

/** Scores as of the bench's end, with monthly history before it, unless already there. */
async function ensureScored(db: Db, months: number): Promise<void> {
  const [s] = await db.query<{ current: number; months: number }>(
    `SELECT (SELECT count(*) FROM current_scores)::int AS current,
            (SELECT count(DISTINCT month) FROM score_history WHERE month >= $1::date - make_interval(months => $2::int))::int AS months`,
    [BENCH_END, months],
  );
  const scorecard = await activeScorecard(db);
  if ((s?.months ?? 0) < months) {
    const from = new Date(`${BENCH_END}T00:00:00Z`);
    from.setUTCMonth(from.getUTCMonth() - months);
    const t0 = performance.now();
    console.log(`# backfilling ${months} months of score history (once; kept)`);
    await backfill(db, scorecard, from.toISOString().slice(0, 10), BENCH_END, (r) =>
      console.log(`#   ${r.as_of.slice(0, 7)}: ${r.accounts} accounts in ${r.seconds} s`),
    );
    console.log(`#   history in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  if ((s?.current ?? 0) === 0) {
    const r = await runScoring(db, { asOf: AS_OF, scorecard, target: "current" });
    console.log(`# scored ${r.accounts} accounts in ${r.seconds} s`);
  }
}

/** The bench's API key (every route needs a session or a key). */
let auth: Record<string, string> = {};

async function apiMs(app: FastifyInstance, url: string, rounds = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const res = await app.inject({ method: "GET", url, headers: auth });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    times.push(performance.now() - t0);
  }
  return Math.round(Math.min(...times));
}

interface Load {
  first_render_ms: number;
  sparklines_ms: number;
  /** When the app's script had run, and when each API response had arrived (ms from navigation start). */
  breakdown: Record<string, number>;
}

/** Milliseconds until the portfolio shows tiles, distribution and table (and then the sparklines). */
async function portfolioLoad(page: Page, base: string): Promise<Load> {
  await page.goto(`${base}/`);
  await page.getByTestId("account-row").first().waitFor();
  await page.getByTestId("band-tiles").waitFor();
  await page.locator(".chart svg rect").first().waitFor();
  await page.locator("svg.sparkline").first().waitFor();
  const table = (await markTime(page, "keepwell:portfolio-table")) ?? Number.NaN;
  const summary = (await markTime(page, "keepwell:portfolio-summary")) ?? Number.NaN;
  const sparks = (await page.evaluate(
    "(() => { const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/insights/sparklines')); return e ? e.responseEnd : null; })()",
  )) as number | null;
  const breakdown = (await page.evaluate(`(() => {
    const out = {};
    const nav = performance.getEntriesByType("navigation")[0];
    if (nav) out.dom_content_loaded = Math.round(nav.domContentLoadedEventEnd);
    for (const r of performance.getEntriesByType("resource")) {
      const u = new URL(r.name);
      const key = u.pathname.startsWith("/assets/") ? u.pathname.replace(/-[^.]+/, "") : u.pathname;
      out[key] = Math.round(r.responseEnd);
    }
    return out;
  })()`)) as Record<string, number>;
  return {
    first_render_ms: Math.round(Math.max(table, summary)),
    sparklines_ms: Math.round(sparks ?? Number.NaN),
    breakdown,
  };
}

/** Milliseconds from a click until the table shows a different first row. */
async function tableChange(page: Page, act: () => Promise<void>): Promise<number> {
  const first = await page.getByTestId("account-row").first().getAttribute("data-id");
  const t0 = performance.now();
  await act();
  await page.waitForFunction(
    `(() => { const r = document.querySelector('[data-testid=account-row]'); return r && r.getAttribute('data-id') !== ${JSON.stringify(first)} && !document.querySelector('[aria-busy=true]'); })()`,
  );
  return Math.round(performance.now() - t0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function main(args: string[]): Promise<void> {
  const accounts = Number(argValue(args, "accounts", "10000"));
  const runs = Math.max(2, Number(argValue(args, "runs", "5")));
  const months = Number(argValue(args, "history-months", "12"));
  const db = await companyStore("pglite", accounts);
  let server: { app: FastifyInstance; url: string } | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    await ensureScored(db, months);
    await ensureWebBuilt();
    server = await startServer(db);
    const { app, url } = server;
    auth = { authorization: `Bearer ${await adminKey(db)}` };
    const [one] = await db.query<{ account: string }>(
      "SELECT account FROM current_scores ORDER BY account LIMIT 1",
    );
    const page50 = (
      await app.inject({
        method: "GET",
        url: "/api/v1/accounts?status=active&sort=score&limit=50",
        headers: auth,
      })
    ).json() as {
      data: { id: string }[];
    };
    const api = {
      portfolio: await apiMs(app, "/api/v1/portfolio"),
      score_histogram: await apiMs(app, "/api/v1/insights/score-histogram?bucket=5"),
      accounts_page: await apiMs(app, "/api/v1/accounts?status=active&sort=score&limit=50"),
      accounts_at_risk: await apiMs(app, "/api/v1/accounts?status=active&sort=score&limit=50&band=at_risk"),
      sparklines_50: await apiMs(
        app,
        `/api/v1/insights/sparklines?months=12&accounts=${page50.data.map((a) => a.id).join(",")}`,
      ),
      separation: await apiMs(app, "/api/v1/insights/separation", 1),
      distributions_owner: await apiMs(app, "/api/v1/insights/distributions?by=owner", 1),
      movement_12: await apiMs(app, "/api/v1/insights/movement?months=12", 1),
      account_timeline: await apiMs(app, `/api/v1/insights/accounts/${one?.account}/timeline?limit=30`),
      account_contacts: await apiMs(app, `/api/v1/insights/accounts/${one?.account}/contacts`),
      account_trends: await apiMs(app, `/api/v1/insights/accounts/${one?.account}/trends?months=24`),
    };

    browser = await launchBrowser();
    // Signed in once: the context's pages share the session cookie.
    if (!(await findUserByEmail(db, BENCH_USER.email))) await addUser(db, { ...BENCH_USER, role: "viewer" });
    const first = await browser.context.newPage();
    await signIn(first, url, BENCH_USER);
    await first.close();
    const loads: Load[] = [];
    let next_page_ms = Number.NaN;
    let filter_at_risk_ms = Number.NaN;
    for (let i = 0; i < runs; i++) {
      const page = await browser.context.newPage();
      loads.push(await portfolioLoad(page, url));
      if (i === runs - 1) {
        next_page_ms = await tableChange(page, () => page.getByRole("button", { name: "Next →" }).click());
        filter_at_risk_ms = await tableChange(page, () => page.getByTestId("filter-band-at_risk").click());
      }
      await page.close();
    }
    const [cold, ...warm] = loads;
    const [counts] = await db.query<{ accounts: number; history: number }>(
      "SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM score_history)::int AS history",
    );
    console.log(
      JSON.stringify({
        store: "pglite",
        accounts: counts?.accounts,
        score_history_rows: counts?.history,
        portfolio_first_render_ms: {
          first_visit: cold?.first_render_ms,
          repeat_visit_median: median(warm.map((l) => l.first_render_ms)),
        },
        sparklines_ready_ms: {
          first_visit: cold?.sparklines_ms,
          repeat_visit_median: median(warm.map((l) => l.sparklines_ms)),
        },
        target_ms: 1500,
        first_visit_breakdown_ms: cold?.breakdown,
        next_page_ms,
        filter_at_risk_ms,
        api_ms: api,
      }),
    );
  } finally {
    await browser?.close();
    await server?.app.close();
    await db.close();
  }
}
