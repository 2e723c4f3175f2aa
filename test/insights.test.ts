import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardRoutes } from "../src/api/dashboard-routes.js";
import { installErrorHandler } from "../src/api/errors.js";
import {
  bandMovement,
  contactEngagement,
  groupDistributions,
  metricSeparation,
  metricTrends,
  scoreHistogram,
  sparklines,
  timeline,
} from "../src/insights/index.js";
import { activeScorecard, backfill, runScoring } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";
import { testServer } from "./helpers/server.js";

const END = "2025-07-01T00:00:00.000Z";

interface History {
  account: string;
  month: string;
  score: number | null;
  band: string | null;
  metrics: Record<string, number>;
}

/** The area under the ROC curve by brute force: P(healthy value > at-risk value), ties half. */
function bruteAuc(h: number[], r: number[]): number {
  let wins = 0;
  for (const a of h) for (const b of r) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (h.length * r.length);
}

function quantile(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

describe(`dashboard insights (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let history: History[];

  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 50, months: 10, seed: "insights", end: "2025-07-01" });
    const scorecard = await activeScorecard(db);
    await backfill(db, scorecard, "2024-10-01", "2025-06-30");
    await runScoring(db, { asOf: END, scorecard, target: "current" });
    app = await testServer(db);
    history = await db.query<History & Record<string, unknown>>(
      "SELECT account, month, score::float8 AS score, band, metrics FROM score_history ORDER BY account, month",
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it("gives a page of accounts their monthly scores on one 12-month axis, in the order asked", async () => {
    const ids = [...new Set(history.map((h) => h.account))].slice(0, 3).reverse();
    const s = await sparklines(db, [...ids, "no_such_account"], 12);
    expect(s.months).toHaveLength(12);
    expect(s.months.at(-1)).toBe("2025-06-01");
    expect(s.months[0]).toBe("2024-07-01");
    expect(s.data.map((d) => d.account)).toEqual([...ids, "no_such_account"]);
    for (const d of s.data.slice(0, 3)) {
      const expected = s.months.map(
        (m) => history.find((h) => h.account === d.account && h.month === m)?.score ?? null,
      );
      expect(d.scores).toHaveLength(12);
      d.scores.forEach((v, i) => {
        if (expected[i] === null) expect(v).toBeNull();
        else expect(v).toBeCloseTo(expected[i]!, 3);
      });
      expect(d.scores.filter((v) => v !== null).length).toBeGreaterThan(0);
    }
    expect(s.data[3]!.scores.every((v) => v === null)).toBe(true);
  });

  it("buckets current scores of active accounts by score and band, like the current scores say", async () => {
    const current = await db.query<{ score: number | null; band: string | null }>(
      `SELECT c.score::float8 AS score, c.band FROM current_scores c JOIN accounts a ON a.id = c.account WHERE a.status = 'active'`,
    );
    const h = await scoreHistogram(db, 10);
    expect(h.buckets).toHaveLength(10);
    expect(h.buckets.reduce((s, b) => s + b.accounts, 0) + h.unscored).toBe(current.length);
    for (const b of h.buckets) {
      const inside = current.filter(
        (c) => c.score !== null && c.score >= b.from && (c.score < b.to || (b.to === 100 && c.score <= 100)),
      );
      expect(b.accounts, `bucket ${b.from}-${b.to}`).toBe(inside.length);
      expect(b.bands.critical).toBe(inside.filter((c) => c.band === "critical").length);
      expect(b.bands.healthy).toBe(inside.filter((c) => c.band === "healthy").length);
    }
    const [seg] = await db.query<{ segment: string }>(
      "SELECT segment FROM accounts WHERE status = 'active' LIMIT 1",
    );
    const one = await scoreHistogram(db, 5, { segment: seg!.segment });
    expect(one.buckets.reduce((s, b) => s + b.accounts, 0)).toBeLessThan(current.length);
  });

  it("spreads scores per segment and per owner with quantiles that match the scores", async () => {
    const rows = await db.query<{
      segment: string;
      owner: string;
      score: number | null;
      band: string | null;
    }>(
      `SELECT a.segment, a.owner, c.score::float8 AS score, c.band FROM current_scores c JOIN accounts a ON a.id = c.account
       WHERE a.status = 'active'`,
    );
    for (const by of ["segment", "owner"] as const) {
      const groups = await groupDistributions(db, by);
      expect(groups.reduce((s, g) => s + g.accounts, 0)).toBe(rows.length);
      for (const g of groups) {
        const scores = rows
          .filter((r) => r[by] === g.group && r.score !== null)
          .map((r) => r.score!)
          .sort((a, b) => a - b);
        expect(Object.values(g.bands).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(g.accounts);
        if (scores.length === 0) continue;
        expect(g.median).toBeCloseTo(quantile(scores, 0.5), 0);
        expect(g.p25).toBeCloseTo(quantile(scores, 0.25), 0);
        expect(g.p90).toBeCloseTo(quantile(scores, 0.9), 0);
        expect(g.min).toBeCloseTo(scores[0]!, 0);
        expect(g.p10! <= g.p25! && g.p25! <= g.median! && g.median! <= g.p75! && g.p75! <= g.p90!).toBe(true);
      }
    }
  });

  it("ranks metrics by how well they separate healthy from at-risk accounts, with a correct AUC", async () => {
    const current = await db.query<{ band: string; metrics: Record<string, number> }>(
      `SELECT c.band, c.metrics FROM current_scores c JOIN accounts a ON a.id = c.account
       WHERE a.status = 'active' AND c.band IN ('healthy', 'at_risk', 'critical')`,
    );
    const table = await metricSeparation(db);
    expect(table.length).toBeGreaterThan(5);
    const seps = table.map((t) => t.separation);
    expect(seps).toEqual([...seps].sort((a, b) => b - a));
    for (const t of table.slice(0, 4)) {
      const h = current
        .filter((c) => c.band === "healthy" && typeof c.metrics[t.metric] === "number")
        .map((c) => c.metrics[t.metric]!);
      const r = current
        .filter((c) => c.band !== "healthy" && typeof c.metrics[t.metric] === "number")
        .map((c) => c.metrics[t.metric]!);
      expect(t.healthy.accounts).toBe(h.length);
      expect(t.at_risk.accounts).toBe(r.length);
      expect(t.auc).toBeCloseTo(bruteAuc(h, r), 2);
      expect(t.label).not.toContain("_");
    }
  });

  it("counts band moves month over month from the history, with new and gone accounts", async () => {
    const m = await bandMovement(db, 12);
    expect(m.months.at(-1)).toBe("2025-06-01");
    const last = m.transitions.filter((t) => t.to_month === "2025-06-01");
    expect(last.every((t) => t.from_month === "2025-05-01")).toBe(true);
    const may = history.filter((h) => h.month === "2025-05-01");
    const june = history.filter((h) => h.month === "2025-06-01");
    expect(last.filter((t) => t.from !== "new").reduce((s, t) => s + t.accounts, 0)).toBe(may.length);
    expect(last.filter((t) => t.to !== "gone").reduce((s, t) => s + t.accounts, 0)).toBe(june.length);
    const healthyToHealthy = may.filter(
      (h) => h.band === "healthy" && june.find((j) => j.account === h.account)?.band === "healthy",
    ).length;
    expect(last.find((t) => t.from === "healthy" && t.to === "healthy")?.accounts ?? 0).toBe(
      healthyToHealthy,
    );
    expect(new Set(m.transitions.map((t) => t.from_month)).size).toBe(m.months.length - 1);
  });

  it("tells one account's story: metric trends, a timeline with ticket tone, contacts and their last engagement", async () => {
    const [busy] = await db.query<{ account: string }>(
      `SELECT t.account FROM tickets t JOIN current_scores c ON c.account = t.account
       GROUP BY t.account ORDER BY count(*) DESC, t.account LIMIT 1`,
    );
    const id = busy!.account;
    const trends = await metricTrends(db, id, ["active_users_30d", "seat_utilisation"], 24);
    const mine = history.filter((h) => h.account === id);
    expect(trends.dates).toEqual([...mine.map((h) => h.month), "2025-07-01"]);
    expect(trends.series[0]!.label).toBe("active users");
    mine.forEach((h, i) => {
      const v = h.metrics.active_users_30d;
      if (v === undefined) expect(trends.series[0]!.values[i]).toBeNull();
      else expect(trends.series[0]!.values[i]).toBeCloseTo(v, 6);
    });

    const items = await timeline(db, id, 15);
    expect(items.length).toBeLessThanOrEqual(15);
    const ts = items.map((i) => i.ts);
    expect(ts).toEqual([...ts].sort().reverse());
    const [newest] = await db.query<{ ts: string }>(
      `SELECT max(ts) AS ts FROM (SELECT opened_at AS ts FROM tickets WHERE account = $1 UNION ALL SELECT scheduled_at FROM meetings WHERE account = $1
       UNION ALL SELECT issued_at FROM invoices WHERE account = $1 UNION ALL SELECT ts FROM notes WHERE account = $1
       UNION ALL SELECT ts FROM surveys WHERE account = $1) x`,
      [id],
    );
    expect(items[0]!.ts).toBe(newest!.ts);
    const all = await timeline(db, id, 200);
    const ticket = all.find((i) => i.kind === "ticket");
    expect(ticket).toBeDefined();
    expect(ticket!.detail).toHaveProperty("sentiment");
    expect(ticket!.detail).toHaveProperty("priority");

    const contacts = await contactEngagement(db, id);
    const [count] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM contacts WHERE account = $1",
      [id],
    );
    expect(contacts).toHaveLength(count!.n);
    for (const c of contacts.slice(0, 3)) {
      const [last] = await db.query<{ ts: string | null }>(
        `SELECT max(ts) AS ts FROM (
           SELECT max(ts) AS ts FROM events WHERE account = $1 AND user_id = $2
           UNION ALL SELECT max(scheduled_at) FROM meetings WHERE account = $1 AND status = 'held' AND $2 = ANY(attendees)
           UNION ALL SELECT max(ts) FROM notes WHERE account = $1 AND contact = $2
           UNION ALL SELECT max(opened_at) FROM tickets WHERE account = $1 AND contact = $2
           UNION ALL SELECT max(ts) FROM surveys WHERE account = $1 AND contact = $2) x`,
        [id, c.id],
      );
      expect(c.last_engagement_at).toBe(last!.ts);
      if (c.last_engagement_at)
        expect(["product use", "meeting", "note", "ticket", "survey"]).toContain(c.last_engagement);
    }
    await expect(timeline(db, "nope")).rejects.toThrow(/no account/);
  });

  it("serves the insights over HTTP, listed in OpenAPI", async () => {
    const [one] = await db.query<{ account: string }>(
      "SELECT account FROM current_scores ORDER BY account LIMIT 1",
    );
    const urls = [
      `/api/v1/insights/sparklines?accounts=${one!.account},x`,
      "/api/v1/insights/score-histogram?bucket=5",
      "/api/v1/insights/distributions?by=owner",
      "/api/v1/insights/separation",
      "/api/v1/insights/movement?months=6",
      `/api/v1/insights/accounts/${one!.account}/trends?metrics=active_users_30d,csat_180d`,
      `/api/v1/insights/accounts/${one!.account}/timeline?limit=5`,
      `/api/v1/insights/accounts/${one!.account}/contacts`,
    ];
    for (const url of urls) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    }
    const hist = await app.inject({ method: "GET", url: "/api/v1/insights/score-histogram" });
    expect(hist.json().thresholds).toEqual({ healthy: 75, watch: 60 });
    const bad = await app.inject({ method: "GET", url: "/api/v1/insights/distributions?by=plan" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("by");
    const missing = await app.inject({ method: "GET", url: "/api/v1/insights/accounts/nope/contacts" });
    expect(missing.statusCode).toBe(404);
    const spec = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    for (const path of [
      "/api/v1/insights/sparklines",
      "/api/v1/insights/separation",
      "/api/v1/insights/rescore",
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(spec.paths["/api/v1/insights/movement"].get.responses["200"]).toBeDefined();
  });

  it("checks a scorecard at its fields without saving, and rescoring after a change shows the effect", async () => {
    const { scorecard, version } = await activeScorecard(db);
    const broken = structuredClone(scorecard) as {
      categories: { weight: number; measures: { scale: Record<string, unknown> }[] }[];
    };
    broken.categories[1]!.weight = -2;
    broken.categories[0]!.measures[0]!.scale = { type: "linear", worst: 3, best: 3 };
    const check = await app.inject({
      method: "POST",
      url: "/api/v1/insights/scorecard-check",
      payload: broken,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json().valid).toBe(false);
    const fields = check.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toContain("categories[1].weight");
    expect(fields).toContain("categories[0].measures[0].scale.best");
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/insights/scorecard-check",
      payload: scorecard,
    });
    expect(ok.json()).toEqual({ valid: true, errors: [] });
    expect((await activeScorecard(db)).version).toBe(version);

    const before = await db.query<{ account: string; score: number | null }>(
      "SELECT account, score::float8 AS score FROM current_scores",
    );
    const changed = structuredClone(scorecard);
    changed.categories[0]!.weight = 5; // product engagement from 40 to 5
    const put = await app.inject({ method: "PUT", url: "/api/v1/scorecard", payload: changed });
    expect(put.statusCode).toBe(200);
    const res = await app.inject({ method: "POST", url: "/api/v1/insights/rescore", payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    const effect = res.json();
    expect(effect.run.scorecard_version).toBe(version + 1);
    expect(effect.run.as_of).toBe(END);
    expect(effect.previous_versions).toEqual([version]);
    const after = await db.query<{ account: string; score: number | null }>(
      "SELECT account, score::float8 AS score FROM current_scores",
    );
    const moved = after.filter((a) => {
      const b = before.find((x) => x.account === a.account);
      return !b || b.score !== a.score;
    });
    expect(effect.changed).toBeGreaterThanOrEqual(moved.length);
    expect(moved.length).toBeGreaterThan(0);
    expect(effect.moves.reduce((s: number, m: { accounts: number }) => s + m.accounts, 0)).toBe(after.length);
    const biggest = [...effect.up, ...effect.down][0];
    expect(biggest.after - biggest.before).toBeCloseTo(biggest.change, 0);
  });
});

describe("the dashboard's web app", () => {
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), "keepwell-web-"));
  const serve = async (webDir: string) => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandler(app, 1 << 20);
    app.get("/docs", async () => "docs");
    await dashboardRoutes(app, db, { webDir });
    return app;
  };
  beforeAll(async () => {
    db = await testDb();
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says how to build it when web/dist is missing", async () => {
    const app = await serve(join(dir, "missing"));
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain("npm run build:web");
    expect((await app.inject({ method: "GET", url: "/assets/app.js" })).statusCode).toBe(404);
    await app.close();
  });

  it("serves the app at / and at every client route, while the API and /docs keep answering", async () => {
    mkdirSync(join(dir, "dist", "assets"), { recursive: true });
    writeFileSync(join(dir, "dist", "index.html"), "<!doctype html><div id=root></div>");
    writeFileSync(join(dir, "dist", "assets", "app-abc123.js"), "console.log(1)");
    const app = await serve(join(dir, "dist"));
    for (const url of ["/", "/accounts/acc_1", "/segments", "/scorecard?x=1"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain("<div id=root>");
      expect(res.headers["cache-control"], url).toBe("no-cache");
    }
    const js = await app.inject({ method: "GET", url: "/assets/app-abc123.js" });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toMatch(/javascript/);
    expect(js.headers["cache-control"]).toMatch(/immutable/);
    expect((await app.inject({ method: "GET", url: "/assets/nope.js" })).statusCode).toBe(404);
    const api = await app.inject({ method: "GET", url: "/api/v1/nope" });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("not_found");
    expect((await app.inject({ method: "GET", url: "/docs" })).body).toBe("docs");
    expect((await app.inject({ method: "GET", url: "/api/v1/insights/separation" })).statusCode).toBe(200);
    await app.close();
  });
});
