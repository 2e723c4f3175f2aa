import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import { JOBS, JobQueue, startWorkers } from "../src/jobs/index.js";
import { activeScorecard, backfill, runScoring, scoreAccounts } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";
import { authedServer } from "./helpers/server.js";

const END = "2025-07-01T00:00:00.000Z";

describe(`scoring a simulated company (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let jobs: JobQueue;
  const rescored: number[] = [];
  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 40, months: 8, seed: "scoring", end: "2025-07-01" });
    jobs = await JobQueue.open(db);
    await startWorkers({
      db,
      jobs,
      clock: () => new Date(END),
      onRescored: (r) => rescored.push(r.accounts),
    });
    app = await authedServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" }, jobs });
  });
  afterAll(async () => {
    await app.close();
    await jobs.stop();
    await db.close();
  });

  it("scores every live account, names the scorecard version, and sums up per band", async () => {
    const scorecard = await activeScorecard(db);
    expect(scorecard.version).toBe(1);
    const s = await runScoring(db, { asOf: END, scorecard, target: "current" });
    const [live] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM accounts WHERE churned_at IS NULL OR churned_at > $1`,
      [END],
    );
    expect(s.accounts).toBe(live?.n);
    expect(Object.values(s.bands).reduce((a, b) => a + b.accounts, 0)).toBe(s.accounts);
    const rows = await db.query<{
      score: number | null;
      band: string;
      scorecard_version: number;
      completeness: number;
    }>("SELECT score, band, scorecard_version, completeness FROM current_scores");
    expect(rows).toHaveLength(s.accounts);
    for (const r of rows) {
      expect(r.scorecard_version).toBe(1);
      expect(["healthy", "watch", "at_risk", "critical"]).toContain(r.band);
      if (r.score !== null) expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.completeness).toBeGreaterThan(0);
    }
  });

  it("a fact dated after T never changes a score as of T", async () => {
    const asOf = "2025-05-01T00:00:00.000Z";
    const scorecard = await activeScorecard(db);
    const before = await scoreAccounts(db, { asOf, scorecard });
    const [acc] = before;
    const id = acc!.account.id;
    const later = "2025-05-01T00:00:00.000Z"; // exactly T: not before T, so not seen
    await importRecords(
      db,
      ENTITIES.tickets,
      jsonRecords([
        {
          id: "pit_t",
          account: id,
          opened_at: later,
          status: "open",
          priority: "urgent",
          tags: ["cancellation_request"],
          subject: "We will cancel",
          body: "terrible, awful",
        },
      ]),
    );
    await importRecords(
      db,
      ENTITIES.events,
      jsonRecords([
        {
          id: "pit_e",
          account: id,
          user: "pit_u",
          ts: "2025-05-02T00:00:00Z",
          name: "dashboards.view",
          value: 50,
        },
      ]),
    );
    await importRecords(
      db,
      ENTITIES.surveys,
      jsonRecords([{ id: "pit_s", account: id, ts: "2025-06-01T00:00:00Z", kind: "nps", score: 0 }]),
    );
    await importRecords(
      db,
      ENTITIES.invoices,
      jsonRecords([
        {
          id: "pit_i",
          account: id,
          issued_at: "2025-05-10T00:00:00Z",
          due_at: "2025-05-20T00:00:00Z",
          amount: 10,
          currency: "USD",
          status: "failed",
        },
      ]),
    );
    const after = await scoreAccounts(db, { asOf, scorecard });
    expect(after).toEqual(before);
  });

  it("an open cancellation request makes an account critical whatever its score, and says why", async () => {
    const scorecard = await activeScorecard(db);
    const scored = await scoreAccounts(db, { asOf: END, scorecard });
    const target =
      scored.find((s) => s.evaluation.band === "healthy" || s.evaluation.band === "watch") ?? scored[0]!;
    const id = target.account.id;
    await importRecords(
      db,
      ENTITIES.tickets,
      jsonRecords([
        {
          id: "crit_1",
          account: id,
          opened_at: "2025-06-20T00:00:00Z",
          status: "open",
          tags: ["cancellation_request"],
          subject: "Cancel",
        },
      ]),
    );
    const [now] = await scoreAccounts(db, { asOf: END, scorecard, accounts: [id] });
    expect(now!.evaluation.band).toBe("critical");
    expect(now!.evaluation.signals.map((s) => s.name)).toContain("open_cancellation_or_escalation_ticket");
    expect(now!.evaluation.explanation.band_reason).toMatch(/cancel/i);
  });

  it("a run announces each account whose band moved (account.band_changed), and a second run nothing", async () => {
    const scorecard = await activeScorecard(db);
    const bands = async () =>
      new Map(
        (
          await db.query<{ account: string; band: string | null }>("SELECT account, band FROM current_scores")
        ).map((r) => [r.account, r.band]),
      );
    const [ticket] = await db.query<{ account: string }>("SELECT account FROM tickets WHERE id = 'crit_1'");
    const was = await bands();
    expect(was.get(ticket!.account), "the current score still has the band before the ticket").not.toBe(
      "critical",
    );
    const [before] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notify_events");
    await runScoring(db, { asOf: END, scorecard, target: "current" });
    const now = await bands();
    const moved = [...now]
      .filter(([a, b]) => b !== null && was.get(a) != null && was.get(a) !== b)
      .map(([a]) => a)
      .sort();
    expect(moved).toContain(ticket!.account);
    const events = await db.query<{ type: string; account: string; detail: Record<string, unknown> }>(
      "SELECT type, account, detail FROM notify_events ORDER BY id OFFSET $1",
      [before?.n ?? 0],
    );
    expect(
      events
        .filter((e) => e.type === "account.band_changed")
        .map((e) => e.account)
        .sort(),
    ).toEqual(moved);
    for (const e of events.filter((x) => x.type === "account.band_changed"))
      expect(e.detail).toMatchObject({ band_before: was.get(e.account), band_after: now.get(e.account) });
    // The same facts scored again move nothing: nothing more is announced.
    await runScoring(db, { asOf: END, scorecard, target: "current" });
    const [after] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notify_events");
    expect(after?.n).toBe((before?.n ?? 0) + events.length);
  });

  it("backfills monthly history point in time and shows it with trends", async () => {
    const scorecard = await activeScorecard(db);
    const runs = await backfill(db, scorecard, "2025-02-01", "2025-06-15");
    expect(runs.map((r) => r.as_of.slice(0, 10))).toEqual([
      "2025-02-01",
      "2025-03-01",
      "2025-04-01",
      "2025-05-01",
      "2025-06-01",
    ]);
    await runScoring(db, { asOf: END, scorecard, target: "current" });
    const [some] = await db.query<{ account: string }>(
      "SELECT account FROM score_history GROUP BY account HAVING count(*) = 5 LIMIT 1",
    );
    const hist = await app.inject({ method: "GET", url: `/api/v1/accounts/${some!.account}/scores` });
    expect(hist.statusCode).toBe(200);
    expect(hist.json().history.map((h: { month: string }) => h.month)).toEqual([
      "2025-02-01",
      "2025-03-01",
      "2025-04-01",
      "2025-05-01",
      "2025-06-01",
    ]);
    // The backfilled May snapshot equals a fresh point-in-time evaluation as of May 1st.
    const [may] = await db.query<{ score: number | null }>(
      "SELECT score FROM score_history WHERE account = $1 AND month = '2025-05-01'",
      [some!.account],
    );
    const [again] = await scoreAccounts(db, {
      asOf: "2025-05-01T00:00:00.000Z",
      scorecard,
      accounts: [some!.account],
    });
    expect(may!.score).toBeCloseTo(again!.evaluation.score ?? Number.NaN, 3);

    const list = await app.inject({
      method: "GET",
      url: "/api/v1/accounts?sort=-score&limit=100&status=active",
    });
    const rows = list.json().data as { score: number | null; trend_30d: number | null; id: string }[];
    const scores = rows.map((r) => r.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const withTrend = rows.find((r) => r.id === some!.account)!;
    const [h30] = await db.query<{ score: number }>(
      "SELECT score FROM score_history WHERE account = $1 AND month <= '2025-06-01' ORDER BY month DESC LIMIT 1",
      [some!.account],
    );
    expect(withTrend.trend_30d).toBeCloseTo((withTrend.score ?? 0) - (h30?.score ?? 0), 0);
  });

  it("filters accounts by band and score, explains one, and sums the portfolio like the accounts", async () => {
    const atRisk = await app.inject({
      method: "GET",
      url: "/api/v1/accounts?band=at_risk,critical&limit=1000",
    });
    for (const a of atRisk.json().data) expect(["at_risk", "critical"]).toContain(a.band);
    const high = await app.inject({ method: "GET", url: "/api/v1/accounts?min_score=70&limit=1000" });
    for (const a of high.json().data) expect(a.score).toBeGreaterThanOrEqual(70);

    const one = atRisk.json().data[0] ?? high.json().data[0];
    const score = await app.inject({ method: "GET", url: `/api/v1/accounts/${one.id}/score` });
    const body = score.json();
    expect(body.scorecard_version).toBe(1);
    const contributions = body.explanation.measures.reduce(
      (s: number, m: { contribution: number }) => s + m.contribution,
      0,
    );
    if (body.score !== null) expect(contributions).toBeCloseTo(body.score, 0);
    expect(body.explanation.drags.length).toBeGreaterThan(0);

    const p = (await app.inject({ method: "GET", url: "/api/v1/portfolio" })).json();
    const [counts] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM accounts a JOIN current_scores c ON c.account = a.id WHERE a.status = 'active'",
    );
    const scoredBands = p.bands.filter((b: { band: string }) => b.band !== "unscored");
    expect(scoredBands.reduce((s: number, b: { accounts: number }) => s + b.accounts, 0)).toBe(counts!.n);
    expect(p.movement.since).toBe("2025-06-01");
    expect(p.segments.length).toBeGreaterThan(0);
  });

  it("validates scorecard changes with paths, versions each accepted one, and snapshots name it", async () => {
    const current = (await app.inject({ method: "GET", url: "/api/v1/scorecard" })).json();
    const bad = structuredClone(current.scorecard);
    bad.categories[1].measures[0].scale = { type: "linear", worst: 5, best: 5 };
    const rejected = await app.inject({ method: "PUT", url: "/api/v1/scorecard", payload: bad });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.details).toContainEqual({
      field: "categories[1].measures[0].scale.best",
      message: "must differ from worst",
    });

    const changed = structuredClone(current.scorecard);
    changed.categories[0].weight = 70;
    const ok = await app.inject({ method: "PUT", url: "/api/v1/scorecard", payload: changed });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const same = await app.inject({ method: "PUT", url: "/api/v1/scorecard", payload: changed });
    expect(same.json().version).toBe(2);
    const run = await app.inject({ method: "POST", url: "/api/v1/scoring/runs", payload: { as_of: END } });
    expect(run.json().scorecard_version).toBe(2);
    const [v] = await db.query<{ v: number }>("SELECT min(scorecard_version) AS v FROM current_scores");
    expect(v!.v).toBe(2);
  });

  it("recomputes an account's current score within 2 s of an ingest that touches it", async () => {
    const [acc] = await db.query<{ account: string; computed_at: string }>(
      "SELECT account, computed_at FROM current_scores ORDER BY account LIMIT 1",
    );
    const started = performance.now();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/tickets",
      payload: [
        {
          id: "fresh_1",
          account: acc!.account,
          opened_at: "2025-06-25T00:00:00Z",
          status: "open",
          tags: ["escalation"],
          subject: "Escalation",
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    let band = "";
    while (performance.now() - started < 2000) {
      const [row] = await db.query<{ band: string; computed_at: string }>(
        "SELECT band, computed_at FROM current_scores WHERE account = $1",
        [acc!.account],
      );
      if (row && row.computed_at !== acc!.computed_at) {
        band = row.band;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(band).toBe("critical");
    // The handler reports once what follows the commit (predictions, playbooks queued) is done too.
    await expect.poll(() => rescored.includes(1), { timeout: 5000 }).toBe(true);
    await expect.poll(() => jobs.pending(JOBS.rescoreAccounts), { timeout: 5000 }).toBe(0);
  });
});
