import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scorecard } from "../src/domain/index.js";
import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import {
  applyScorecard,
  dayNumber,
  ensureHistory,
  labelFor,
  latestModel,
  loadObservations,
  metricsMissingFromHistory,
  type ObservationSet,
  observationMonths,
  predict,
  prepareObservations,
  proposeScorecard,
  refreshCurrentPredictions,
  rowRecord,
  runBacktest,
  seededRandom,
  trainAndStore,
  trainModel,
} from "../src/predict/index.js";
import { activeScorecard, backfill, runScoring, syncScorecardFile } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";

const END = "2025-07-01";
const DAY = 86_400_000;

/** The observation rows dated `date`, by account: the feature record of each. */
function rowsAt(set: ObservationSet, date: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  set.dates.forEach((d, i) => {
    if (d === date) out.set(set.accounts[i] as string, rowRecord(set.matrix, i));
  });
  return out;
}

describe(`churn prediction on a simulated company (${storeName})`, () => {
  let db: Db;
  let trained: Awaited<ReturnType<typeof trainAndStore>>;
  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 120, months: 14, seed: "predict-test", end: END });
  });
  afterAll(async () => {
    await db.close();
  });

  it("backfills the history over the span of the data, once", async () => {
    const scorecard = await activeScorecard(db);
    const first = await ensureHistory(db, scorecard);
    expect(first.span.last).toBe(`${END}T00:00:00.000Z`);
    expect(first.months.length).toBeGreaterThanOrEqual(13);
    expect(first.months.at(-1)).toBe(`${END}T00:00:00.000Z`);
    const again = await ensureHistory(db, scorecard);
    expect(again.months).toEqual([]);
    expect(again.accounts).toBe(0);
  });

  it("replays an account imported after the history was made, over the months it was a customer", async () => {
    const scorecard = await activeScorecard(db);
    await importRecords(db, ENTITIES.accounts, jsonRecords([{ id: "late_1", name: "Late", segment: "smb" }]));
    await importRecords(
      db,
      ENTITIES.subscriptions,
      jsonRecords([
        { id: "late_sub", account: "late_1", seats: 5, mrr: 100, started_at: "2025-03-10T00:00:00Z" },
      ]),
    );
    expect(await ensureHistory(db, scorecard)).toMatchObject({ months: [], accounts: 1 });
    const rows = await db.query<{ m: string }>(
      "SELECT to_char(month, 'YYYY-MM-DD') AS m FROM score_history WHERE account = 'late_1' ORDER BY month",
    );
    expect(rows.map((r) => r.m)).toEqual(["2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01"]);
    expect((await ensureHistory(db, scorecard)).accounts).toBe(0);
  });

  it("says which metrics the history was scored without, and the backfill that adds them", async () => {
    const scorecard = await activeScorecard(db);
    const [current] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM current_scores");
    const scored = !current?.n;
    if (scored) await runScoring(db, { asOf: END, scorecard, target: "current" });
    expect(await metricsMissingFromHistory(db)).toEqual([]);
    const metric = "days_since_champion_active";
    const before = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM score_history WHERE metrics ? '${metric}'`,
    );
    expect(before[0]?.n).toBeGreaterThan(0);
    // As after an upgrade that added the metric: the history lacks it, today's scores have it.
    await db.exec(`UPDATE score_history SET metrics = metrics - '${metric}'`);
    const messages: string[] = [];
    const prepared = await prepareObservations(db, { onProgress: (m) => messages.push(m) });
    expect(prepared.history.missing_metrics).toEqual([metric]);
    expect(prepared.set.matrix.names).not.toContain(metric);
    const months = observationMonths(prepared.history.span);
    const command = `keepwell score --backfill --from ${months[0]?.slice(0, 10)} --to ${END}`;
    expect(messages.join("\n")).toContain(
      `days since the champion was active: the model cannot learn from it until \`${command}\``,
    );
    // The backfill it names puts the metric back into every snapshot that had it.
    await backfill(db, scorecard, months[0] as string, END);
    const after = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM score_history WHERE metrics ? '${metric}'`,
    );
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(await metricsMissingFromHistory(db)).toEqual([]);
    if (scored) await db.exec("DELETE FROM current_scores"); // the training test below scores them itself
  });

  it("observes live accounts only, labels churn within the horizon, leaves the unknown future unlabelled", async () => {
    const set = await loadObservations(db, { horizonDays: 90 });
    const known = Date.parse(set.knownUntil as string);
    const accounts = await db.query<{ id: string; churned_at: string | null }>(
      "SELECT id, churned_at FROM accounts",
    );
    const churn = new Map(
      accounts.map((a) => [a.id, a.churned_at ? new Date(a.churned_at).getTime() : null]),
    );
    let unlabelled = 0;
    let positives = 0;
    set.accounts.forEach((account, i) => {
      const t = Date.parse(`${set.dates[i]}T00:00:00Z`);
      const c = churn.get(account) ?? null;
      expect(c === null || c > t, `${account} observed after its churn`).toBe(true);
      const labelled = t + 90 * DAY <= known;
      expect(set.labelled[i]).toBe(labelled ? 1 : 0);
      if (!labelled) unlabelled++;
      const label = labelled && c !== null && c < t + 90 * DAY ? 1 : 0;
      expect(set.labels[i]).toBe(label);
      positives += label;
    });
    expect(unlabelled).toBeGreaterThan(0);
    expect(positives).toBeGreaterThan(5);
    // The last three months' horizons run past the data: none of them is labelled.
    for (const [i, d] of set.dates.entries()) if (d >= "2025-05-01") expect(set.labelled[i]).toBe(0);
    // Features: catalogue metrics, imported names, category scores and signals.
    expect(set.matrix.names).toEqual(
      expect.arrayContaining([
        "active_days_per_user_30d:vs_portfolio",
        "product_qualified_seats",
        "category:product_engagement:vs_portfolio",
        "category:support_health",
        "signal:churn_notice",
      ]),
    );
    expect(set.matrix.names).not.toContain("signal:executive_sponsor_inactive");
    // Usage enters relative to the portfolio: the value minus the median of every account that month.
    expect(set.matrix.names).not.toContain("active_days_per_user_30d");
    const column = set.matrix.columns[set.matrix.names.indexOf("active_days_per_user_30d:vs_portfolio")];
    const median = (values: number[]) => {
      const v = [...values].sort((a, b) => a - b);
      const mid = (v.length - 1) / 2;
      return ((v[Math.floor(mid)] as number) + (v[Math.ceil(mid)] as number)) / 2;
    };
    let checked = 0;
    for (const month of [...new Set(set.dates)]) {
      const rows = set.dates.flatMap((d, i) => (d === month ? [i] : []));
      const raw = rows.map((i) => set.metrics[i]?.active_days_per_user_30d);
      const m = median(raw.filter((v): v is number => v !== undefined));
      rows.forEach((i, k) => {
        const v = raw[k];
        if (v === undefined) expect(column?.[i]).toBeNaN();
        else {
          expect(column?.[i]).toBeCloseTo(v - m, 9);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(100);
    // Trends: the health score's change over three months is the difference with the account's own
    // snapshot three months before (missing in its first three months).
    const change = set.matrix.columns[set.matrix.names.indexOf("health_score:change_3m")];
    const row = new Map(set.accounts.map((a, i) => [`${a}|${set.dates[i]}`, i]));
    let changes = 0;
    set.accounts.forEach((account, i) => {
      const then = new Date(`${set.dates[i]}T00:00:00Z`);
      then.setUTCMonth(then.getUTCMonth() - 3);
      const j = row.get(`${account}|${then.toISOString().slice(0, 10)}`);
      const before = j === undefined ? null : set.score[j];
      const now = set.score[i];
      if (before === null || before === undefined || now === null || now === undefined)
        expect(change?.[i]).toBeNaN();
      else {
        expect(change?.[i]).toBeCloseTo(now - before, 4);
        changes++;
      }
    });
    expect(changes).toBeGreaterThan(100);
  });

  it("labelFor: [date, date + horizon), unknown when the horizon passes the last known date", () => {
    const t = Date.parse("2024-03-01T00:00:00Z");
    const known = Date.parse("2024-12-01T00:00:00Z");
    expect(labelFor(t, null, 90, known)).toBe(0);
    expect(labelFor(t, t, 90, known)).toBe(1);
    expect(labelFor(t, t + 89 * DAY, 90, known)).toBe(1);
    expect(labelFor(t, t + 90 * DAY, 90, known)).toBe(0);
    expect(labelFor(t, t + 90 * DAY, 90, t + 90 * DAY)).toBe(0);
    expect(labelFor(t, t + 10 * DAY, 90, t + 89 * DAY)).toBeNull();
    expect(labelFor(t, null, 90, null)).toBeNull();
  });

  it("trains, stores the model and its report, and predicts every current account with its drivers", async () => {
    trained = await trainAndStore(db, { horizonDays: 90 });
    expect(trained.version).toBe(1);
    expect(trained.scored_as_of).toBe(`${END}T00:00:00.000Z`);
    const current = await db.query<{
      account: string;
      churn_probability: number | null;
      churn_drivers: { feature: string; label: string; contribution: number; effect: string }[] | null;
    }>("SELECT account, churn_probability, churn_drivers FROM current_scores");
    expect(current.length).toBeGreaterThan(50);
    expect(trained.predictions.accounts).toBe(current.length);
    for (const row of current) {
      expect(row.churn_probability).toBeGreaterThanOrEqual(0);
      expect(row.churn_probability).toBeLessThanOrEqual(1);
      expect(row.churn_drivers?.length).toBeGreaterThan(0);
      expect(row.churn_drivers?.length).toBeLessThanOrEqual(5);
      for (const d of row.churn_drivers ?? []) {
        expect(trained.model.feature_names).toContain(d.feature);
        expect(d.label).toBeTruthy();
        expect(d.effect).toBe(d.contribution > 0 ? "raises" : "lowers");
      }
    }
    const [history] = await db.query<{ n: number; filled: number }>(
      "SELECT count(*)::int AS n, count(churn_probability)::int AS filled FROM score_history",
    );
    expect(history?.filled).toBeGreaterThan(0);
    expect(trained.predictions.history_rows).toBeLessThanOrEqual(history?.n ?? 0);

    // Scored on the same date from the same facts, an account's current prediction is its history's
    // for that month: the portfolio medians of the current scores are those of that month.
    const same = await db.query<{ account: string; now: number; then: number }>(
      `SELECT c.account, c.churn_probability AS now, h.churn_probability AS then
       FROM current_scores c JOIN score_history h ON h.account = c.account AND h.month = $1::date`,
      [END],
    );
    expect(same.length).toBe(current.length);
    for (const r of same) expect(r.now, r.account).toBe(r.then);

    // The stored model predicts exactly as the one in memory.
    const stored = await latestModel(db);
    const set = await loadObservations(db, { horizonDays: 90 });
    expect(Array.from(predict(stored!.model, set.matrix))).toEqual(
      Array.from(predict(trained.model, set.matrix)),
    );
  });

  it("announces each account whose probability rises across the flag threshold (account.flagged), once", async () => {
    const stored = await latestModel(db);
    const threshold = stored!.model.flag?.threshold;
    expect(threshold, "the model has a flag threshold").toBeGreaterThan(0);
    const flagged = () =>
      db.query<{ account: string; before: number; p: number }>(
        `SELECT account, (detail->>'probability_before')::float8 AS before, (detail->>'probability')::float8 AS p
         FROM notify_events WHERE type = 'account.flagged' ORDER BY account`,
      );
    const already = (await flagged()).length;
    // Every account below the threshold before: those the model puts at or above it are announced.
    await db.query("UPDATE current_scores SET churn_probability = 0");
    await refreshCurrentPredictions(db, stored!);
    const expected = await db.query<{ account: string }>(
      "SELECT account FROM current_scores WHERE churn_probability >= $1 ORDER BY account",
      [threshold],
    );
    const events = (await flagged()).slice(already);
    expect(expected.length).toBeGreaterThan(0);
    expect(events.map((e) => e.account)).toEqual(expected.map((e) => e.account));
    for (const e of events) expect(e.before === 0 && e.p >= threshold!).toBe(true);
    // Predicting again from the same facts crosses nothing: no second announcement.
    await refreshCurrentPredictions(db, stored!);
    expect((await flagged()).length).toBe(already + events.length);
  });

  it("backtests the model and the scorecard side by side", async () => {
    const { report, prepared } = await runBacktest(db, { horizonDays: 90 });
    for (const side of [report.model, report.scorecard]) {
      expect(side.auc).toBeGreaterThanOrEqual(0);
      expect(side.auc).toBeLessThanOrEqual(1);
      for (const key of [
        "pr_auc",
        "top_decile_lift",
        "brier",
        "precision",
        "recall",
        "lead_60_share",
        "lead_90_share",
      ])
        expect(side, key).toHaveProperty(key);
      expect(side.calibration?.length).toBe(10);
      expect(side.lead.churners).toBeGreaterThan(0);
    }
    expect(report.model.auc).toBeGreaterThan(0.6);
    expect(report.observations.test_rows).toBeGreaterThan(0);
    // The forecast backtest: per tested date, expected churn beside the churn that followed.
    const forecast = report.model.forecast;
    expect(forecast.by_date.reduce((n, f) => n + f.observations, 0)).toBe(report.observations.test_rows);
    expect(forecast.by_date.reduce((n, f) => n + f.churned, 0)).toBe(report.observations.test_positives);
    expect(forecast.by_date.map((f) => f.date)).toEqual([...forecast.by_date.map((f) => f.date)].sort());
    expect(forecast.mean_abs_error).toBeGreaterThanOrEqual(0);
    // In ARR: every labelled row of a tested date is tested, so the churned ARR is the churners' ARR on it.
    const { set } = prepared;
    for (const f of forecast.by_date) {
      let churnedArr = 0;
      set.dates.forEach((d, i) => {
        if (d === f.date && set.labelled[i] === 1 && set.labels[i] === 1) churnedArr += set.arr[i] ?? 0;
      });
      expect(f.churned_arr, f.date).toBeCloseTo(churnedArr, 1);
    }
    expect(forecast.by_date.some((f) => f.churned_arr > 0)).toBe(true);
    expect(forecast.mean_abs_error_arr).toBeGreaterThanOrEqual(0);
    expect(report.observations.test_rows).toBeLessThanOrEqual(report.observations.labelled);
    expect(report.model.lead_by_precision.map((l) => l.min_precision)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6]);
    // Same data and seed: the same report as the one stored by train.
    expect(report.model.auc).toBe(trained.report.model.auc);
    expect(report.scorecard.auc).toBe(trained.report.scorecard.auc);
  });

  it("is deterministic: the same data and seed give the same model", async () => {
    const prepared = await prepareObservations(db, { horizonDays: 90 });
    const a = trainModel(prepared.data, { horizonDays: 90, seed: 1 }).model;
    expect(JSON.stringify(a)).toBe(JSON.stringify(trained.model));
    const again = await trainAndStore(db, { horizonDays: 90, history: false });
    expect(again.version).toBe(2);
    const [v1, v2] = await db.query<{ model: unknown }>("SELECT model FROM models ORDER BY version");
    expect(v2?.model).toEqual(v1?.model);
  });

  it("recommend writes a scorecard file that scorecard apply accepts as a new version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keepwell-recommend-"));
    const activeFile = join(dir, "keepwell.scorecard.yaml");
    const before = await activeScorecard(db);
    const proposal = await proposeScorecard(db, { horizonDays: 90 });
    expect(proposal.yaml.startsWith("# Keepwell proposed scorecard")).toBe(true);
    expect(proposal.yaml).toContain(`current v${before.version} AUC`);
    expect(proposal.current.auc).not.toBeNull();
    expect(proposal.proposed.auc).not.toBeNull();
    // Both judged on the same held-out rows: the proposal scored by weights learned before each test window.
    expect(proposal.test_rows).toBeGreaterThan(0);
    expect(proposal.proposed.lead.churners).toBe(proposal.current.lead.churners);
    for (const m of proposal.recommendation.measures)
      expect(m.reason).toMatch(
        /^(10 more points (lower|raise) churn log-odds by \d\.\d{3}|no data to learn from)/,
      );
    const file = join(dir, "keepwell.scorecard.proposed.yaml");
    writeFileSync(file, proposal.yaml);
    const applied = await applyScorecard(db, readFileSync(file, "utf8"), { file, activeFile });
    expect(applied).toMatchObject({
      previous_version: before.version,
      version: before.version + 1,
      changed: true,
    });
    const after = await activeScorecard(db);
    expect(after.version).toBe(before.version + 1);
    expect(after.source).toBe("recommend");
    expect(after.scorecard.categories.map((c) => c.weight)).toEqual(
      proposal.recommendation.scorecard.categories.map((c) => c.weight),
    );
    // The active file now holds it: syncing the file makes no new version.
    expect((await syncScorecardFile(db, activeFile)).version).toBe(after.version);
    // A bad file is refused with the path named.
    writeFileSync(file, "name: broken\ncategories: []\n");
    await expect(applyScorecard(db, readFileSync(file, "utf8"), { file })).rejects.toThrow(file);
  });

  it("no leakage: facts dated at or after T never change the observations at T", async () => {
    const random = seededRandom(42, 5);
    const scorecard = await activeScorecard(db);
    await ensureHistory(db, scorecard);
    const ids = (await db.query<{ id: string }>("SELECT id FROM accounts ORDER BY id")).map((r) => r.id);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random.next() * xs.length)] as T;
    for (const [round, T] of ["2024-11-01", "2025-02-01", "2025-04-01"].entries()) {
      // Replayed with the scorecard version that made the snapshots (recommend may have changed the active one).
      const [made] = await db.query<{ version: number; definition: Scorecard }>(
        `SELECT v.version, v.definition FROM scorecard_versions v
         WHERE v.version = (SELECT max(scorecard_version) FROM score_history WHERE month = $1::date)`,
        [T],
      );
      const replay = () =>
        backfill(db, { ...scorecard, version: made!.version, scorecard: made!.definition }, T, T);
      await replay(); // the earlier rounds' facts may be dated before this T
      const before = rowsAt(await loadObservations(db), T);
      expect(before.size).toBeGreaterThan(50);
      const at = (days: number) => new Date(dayNumber(T) * DAY + days * DAY + random.next() * 3 * 3600_000);
      const facts = Array.from({ length: 6 }, (_, k) => ({
        account: pick(ids),
        k,
        days: k === 0 ? 0 : random.next() * 60,
      }));
      const id = (kind: string, k: number) => `leak_${round}_${kind}_${k}`;
      for (const f of facts) {
        const { account, k } = f;
        const ts = (k === 0 ? new Date(`${T}T00:00:00Z`) : at(f.days)).toISOString();
        await importRecords(
          db,
          ENTITIES.events,
          jsonRecords([{ id: id("e", k), account, user: "leak", ts, name: "dashboards.view", value: 40 }]),
        );
        await importRecords(
          db,
          ENTITIES.tickets,
          jsonRecords([
            {
              id: id("t", k),
              account,
              opened_at: ts,
              status: "open",
              priority: "urgent",
              tags: ["cancellation_request"],
              subject: "We are leaving",
              body: "We will cancel our contract, awful",
            },
          ]),
        );
        await importRecords(
          db,
          ENTITIES.invoices,
          jsonRecords([
            {
              id: id("i", k),
              account,
              issued_at: ts,
              due_at: ts,
              amount: 10,
              currency: "USD",
              status: "failed",
            },
          ]),
        );
        await importRecords(
          db,
          ENTITIES.surveys,
          jsonRecords([{ id: id("s", k), account, ts, kind: "nps", score: 0 }]),
        );
        await importRecords(
          db,
          ENTITIES.notes,
          jsonRecords([
            {
              id: id("n", k),
              account,
              ts,
              channel: "email",
              direction: "inbound",
              text: "We have decided not to renew.",
            },
          ]),
        );
        await importRecords(
          db,
          ENTITIES.meetings,
          jsonRecords([{ id: id("m", k), account, kind: "qbr", scheduled_at: ts, status: "held" }]),
        );
        await importRecords(
          db,
          ENTITIES.metrics,
          jsonRecords([{ account, date: ts.slice(0, 10), name: "product_qualified_seats", value: 999 }]),
        );
      }
      await replay();
      const after = rowsAt(await loadObservations(db), T);
      expect(after).toEqual(before);
    }
  });
});
