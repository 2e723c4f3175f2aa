import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BacktestReport,
  type ChurnForecast,
  type ForecastGroup,
  trainAndStore,
} from "../src/predict/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";
import { testServer } from "./helpers/server.js";

/** The churn model over HTTP: its report, each account's prediction, the flagged accounts and the forecast. */
describe(`the churn model's API on a simulated company (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let trained: Awaited<ReturnType<typeof trainAndStore>>;
  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 120, months: 14, seed: "predict-test", end: "2025-07-01" });
    trained = await trainAndStore(db, { horizonDays: 90 });
    app = await testServer(db);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it("serves the report, each account's prediction, and the accounts by churn probability", async () => {
    const report = await app.inject({ method: "GET", url: "/api/v1/model/report" });
    expect(report.statusCode).toBe(200);
    const body = report.json() as BacktestReport & { model_version: number };
    expect(body.model_version).toBe(1);
    expect(body.model.auc).toBe(trained.report.model.auc);
    const [top] = await db.query<{ account: string; p: number }>(
      "SELECT account, churn_probability AS p FROM current_scores ORDER BY churn_probability DESC, account LIMIT 1",
    );
    const one = await app.inject({ method: "GET", url: `/api/v1/accounts/${top!.account}/prediction` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ account: top!.account, model_version: 1, horizon_days: 90 });
    expect(one.json().drivers.length).toBeGreaterThan(0);
    // The flagged accounts are those at or above the model's flag threshold, and say so.
    const threshold = trained.model.flag?.threshold;
    expect(threshold).toBeGreaterThan(0);
    const want = await db.query<{ account: string }>(
      "SELECT account FROM current_scores WHERE churn_probability >= $1 ORDER BY account",
      [threshold],
    );
    expect(want.length).toBeGreaterThan(0);
    const flagged = (
      await app.inject({ method: "GET", url: "/api/v1/accounts?flagged=true&sort=id&limit=1000" })
    ).json().data as { id: string; churn_flagged: boolean }[];
    expect(flagged.map((a) => a.id)).toEqual(want.map((r) => r.account));
    expect(flagged.every((a) => a.churn_flagged)).toBe(true);
    const others = (
      await app.inject({ method: "GET", url: "/api/v1/accounts?flagged=false&sort=id&limit=1000" })
    ).json().data as { id: string; churn_flagged: boolean }[];
    expect(others.some((a) => a.churn_flagged)).toBe(false);
    const [all] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts");
    expect(flagged.length + others.length).toBe(all?.n);
    expect((await app.inject({ method: "GET", url: "/api/v1/accounts?flagged=maybe" })).statusCode).toBe(400);
    const list = await app.inject({ method: "GET", url: "/api/v1/accounts?sort=-churn_probability&limit=1" });
    expect(list.json().data[0].id).toBe(top!.account);
    expect((await app.inject({ method: "GET", url: "/api/v1/accounts/nope/prediction" })).statusCode).toBe(
      404,
    );
    const model = await app.inject({ method: "GET", url: "/api/v1/model" });
    expect(model.json()).toMatchObject({ version: 1, kind: trained.model.kind, horizon_days: 90 });
    const versions = (await app.inject({ method: "GET", url: "/api/v1/models" })).json();
    expect(versions.data).toHaveLength(1);
    expect(versions.data[0]).toMatchObject({
      version: 1,
      kind: trained.model.kind,
      flag_min_precision: 0.4,
      model: {
        auc: trained.report.model.auc,
        lead_60_share: trained.report.model.lead_60_share,
        precision: trained.report.model.precision,
      },
      scorecard: { auc: trained.report.scorecard.auc, lead_60_share: trained.report.scorecard.lead_60_share },
    });
  });

  it("forecasts the churn to expect: probabilities summed, weighted by ARR, and flagged, per segment", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/model/forecast" });
    expect(res.statusCode).toBe(200);
    const f = res.json() as ChurnForecast;
    const threshold = trained.model.flag?.threshold ?? null;
    expect(f).toMatchObject({ model_version: 1, horizon_days: 90, flag_threshold: threshold });
    const rows = await db.query<{ segment: string | null; p: number; arr: string | null }>(
      `SELECT a.segment, cs.churn_probability AS p, a.arr FROM current_scores cs JOIN accounts a ON a.id = cs.account
       WHERE cs.churn_probability IS NOT NULL AND a.status = 'active'`,
    );
    expect(rows.length).toBeGreaterThan(20);
    const spread = trained.report.model.forecast.spread;
    const sum = (list: typeof rows) => {
      const flagged = list.filter((r) => threshold !== null && r.p >= threshold);
      return {
        accounts: list.length,
        expected_churns: list.reduce((s, r) => s + r.p, 0),
        expected_churned_arr: list.reduce((s, r) => s + r.p * Number(r.arr ?? 0), 0),
        flagged: flagged.length,
        flagged_arr: flagged.reduce((s, r) => s + Number(r.arr ?? 0), 0),
        churns_var: list.reduce((s, r) => s + r.p * (1 - r.p), 0),
        churned_arr_var: list.reduce((s, r) => s + r.p * (1 - r.p) * Number(r.arr ?? 0) ** 2, 0),
      };
    };
    const close = (got: ForecastGroup, want: ReturnType<typeof sum>, label: string) => {
      expect(got.accounts, label).toBe(want.accounts);
      expect(got.flagged, label).toBe(want.flagged);
      expect(got.expected_churns, label).toBeCloseTo(want.expected_churns, 1);
      expect(Math.abs(got.expected_churned_arr - want.expected_churned_arr), label).toBeLessThan(1);
      expect(Math.abs(got.flagged_arr - want.flagged_arr), label).toBeLessThan(1);
      // 80% ranges: ± 1.2816 × the backtest's spread factor × √Σ p(1 − p) (× ARR²), never below 0.
      const half = (factor: number | null, variance: number) => 1.2816 * (factor ?? 1) * Math.sqrt(variance);
      const churns = half(spread.accounts.factor ?? null, want.churns_var);
      expect(got.expected_churns_range[0], label).toBeCloseTo(Math.max(0, want.expected_churns - churns), 1);
      expect(got.expected_churns_range[1], label).toBeCloseTo(want.expected_churns + churns, 1);
      const money = half(spread.arr.factor ?? null, want.churned_arr_var);
      expect(
        Math.abs(got.expected_churned_arr_range[1] - (want.expected_churned_arr + money)),
        label,
      ).toBeLessThan(1);
      expect(
        Math.abs(got.expected_churned_arr_range[0] - Math.max(0, want.expected_churned_arr - money)),
        label,
      ).toBeLessThan(1);
    };
    close(f.total, sum(rows), "total");
    expect(f.total.flagged).toBeGreaterThan(0);
    expect(f.total.expected_churned_arr).toBeGreaterThan(0);
    const segments = [...new Set(rows.map((r) => r.segment ?? ""))].sort();
    expect(f.segments.map((g) => g.segment).sort()).toEqual(segments);
    for (const g of f.segments)
      close(g, sum(rows.filter((r) => (r.segment ?? "") === g.segment)), `segment ${g.segment}`);
  });
});
