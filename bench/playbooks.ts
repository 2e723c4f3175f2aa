import { cliActor } from "../src/cli/cli-actor.js";
import { ensureSimulatedTeam } from "../src/cli/demo-team.js";
import { DEFAULT_PLAYBOOKS, type Playbooks } from "../src/domain/playbooks/index.js";
import { evaluatePlaybooks, type SimulationReport, simulateStored } from "../src/playbooks/index.js";
import { activeScorecard, backfill, monthStarts, runScoring } from "../src/scoring/index.js";
import { StoreSink, simulate } from "../src/simulate/index.js";
import { type Db, migrate, openPostgres, quoteIdent } from "../src/store/index.js";
import { BENCH_END, companyStore } from "./company.js";
import { argValue, peakRssMb } from "./store-for-bench.js";

const AS_OF = `${BENCH_END}T00:00:00.000Z`;
/** The simulated companies' 24 months of history: month starts from here to BENCH_END. */
const HISTORY_FROM = "2024-12-01";
const round2 = (x: number) => Math.round(x * 100) / 100;

function seconds(since: number): number {
  return round2((performance.now() - since) / 1000);
}

async function clearPlays(db: Db): Promise<void> {
  // Truncated, not deleted: the first evaluation then meets empty tables and indexes, as on a new install.
  await db.exec("TRUNCATE play_events, play_steps, plays");
}

/** The 24 monthly snapshots, backfilled once (kept with the company). */
async function ensureMonths(db: Db, from: string, to: string): Promise<number> {
  const present = new Set(
    (
      await db.query<{ month: string }>(
        "SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS month FROM score_history",
      )
    ).map((r) => r.month),
  );
  const scorecard = await activeScorecard(db);
  const missing = monthStarts(from, to).filter((m) => !present.has(m.slice(0, 10)));
  for (const m of missing) {
    const t = performance.now();
    const [run] = await backfill(db, scorecard, m, m.slice(0, 10));
    console.error(`#   backfilled ${m.slice(0, 7)}: ${run?.accounts ?? 0} accounts in ${seconds(t)} s`);
  }
  return missing.length;
}

/**
 * (a) Evaluation after a full scoring run: the simulated team as users (so
 * plays have owners), no plays yet, current scores, then two evaluations at
 * the same time: the first opens the plays, the second must open none.
 */
async function evaluateBench(kind: string, accounts: number): Promise<void> {
  const db = await companyStore(kind, accounts);
  try {
    await ensureSimulatedTeam(db, cliActor());
    await clearPlays(db);
    const scorecard = await activeScorecard(db);
    let t = performance.now();
    const run = await runScoring(db, { asOf: AS_OF, scorecard, target: "current" });
    const scoreSeconds = seconds(t);
    const now = new Date(AS_OF);
    t = performance.now();
    const first = await evaluatePlaybooks(db, { now });
    const firstWall = seconds(t);
    t = performance.now();
    const second = await evaluatePlaybooks(db, { now });
    const secondWall = seconds(t);
    if (second.opened !== 0) throw new Error(`the second evaluation opened ${second.opened} plays`);
    const [counts] = await db.query<{ plays: number; steps: number }>(
      "SELECT (SELECT count(*)::int FROM plays) AS plays, (SELECT count(*)::int FROM play_steps) AS steps",
    );
    console.log(
      JSON.stringify({
        bench: "evaluate",
        store: kind,
        accounts_scored: run.accounts,
        score_seconds: scoreSeconds,
        first: { ...first, seconds: firstWall },
        second: { ...second, seconds: secondWall },
        second_opened_none: second.opened === 0,
        stored: counts,
        target_seconds: kind === "postgres" ? 1 : 2,
        within_target:
          firstWall < (kind === "postgres" ? 1 : 2) && secondWall < (kind === "postgres" ? 1 : 2),
        peak_rss_mb: peakRssMb(),
      }),
    );
    await clearPlays(db);
  } finally {
    await db.close();
  }
}

/** (b) The simulator over 24 months × the company's accounts (target < 30 s). */
async function simulatorBench(kind: string, accounts: number): Promise<void> {
  const db = await companyStore(kind, accounts);
  try {
    await ensureSimulatedTeam(db, cliActor());
    const backfilled = await ensureMonths(db, HISTORY_FROM, BENCH_END);
    const [h] = await db.query<{ rows: number; months: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT month)::int AS months FROM score_history
       WHERE month BETWEEN $1::date AND $2::date`,
      [HISTORY_FROM, BENCH_END],
    );
    const runs: number[] = [];
    let report: SimulationReport | undefined;
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      report = await simulateStored(db, { playbooks: DEFAULT_PLAYBOOKS, from: HISTORY_FROM, to: BENCH_END });
      runs.push(seconds(t));
    }
    console.log(
      JSON.stringify({
        bench: "simulate",
        store: kind,
        history_rows: h?.rows,
        months: report?.months,
        accounts: report?.accounts,
        backfilled_months: backfilled,
        plays_opened: report?.plays_opened,
        seconds_cold: runs[0],
        seconds: runs[1],
        within_target: Math.max(...runs) < 30,
        peak_rss_mb: peakRssMb(),
      }),
    );
  } finally {
    await db.close();
  }
}

/** A PostgreSQL schema per (accounts, seed): the company simulated, its team and its 24 months, built once. */
async function seededCompany(accounts: number, seed: string): Promise<Db> {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `bench_playbooks_${accounts}_${seed.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`.slice(0, 63);
  const db = await openPostgres({ url, schema });
  await migrate(db);
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts");
  if ((row?.n ?? 0) < accounts) {
    console.error(`# simulating ${accounts} accounts × 24 months (seed ${seed}) into ${quoteIdent(schema)}`);
    const t = performance.now();
    const sink = new StoreSink(db);
    await simulate({ accounts, months: 24, seed, end: BENCH_END }, sink);
    await sink.close();
    console.error(`#   in ${seconds(t)} s`);
  }
  await ensureSimulatedTeam(db, cliActor());
  await ensureMonths(db, HISTORY_FROM, BENCH_END);
  return db;
}

function figures(r: SimulationReport, roles: Map<string, string>) {
  const byRole = (role: string) => r.per_owner.filter((o) => o.owner && roles.get(o.owner.id) === role);
  const csms = [...roles.values()].filter((v) => v === "csm").length;
  const csmPlays = byRole("csm").reduce((s, o) => s + o.plays, 0);
  return {
    plays_opened: r.plays_opened,
    first_month_plays: r.first_month_plays,
    plays_per_week: r.plays_per_week,
    plays_per_owner_per_week: r.plays_per_owner_per_week,
    plays_per_csm_per_week: csms > 0 && r.weeks > 0 ? round2(csmPlays / csms / r.weeks) : null,
    plays_per_leader_per_week: byRole("leader").map((o) => o.per_week),
    plays_per_executive_per_week: byRole("executive").map((o) => o.per_week),
    unowned_plays: r.per_owner.find((o) => o.owner === null)?.plays ?? 0,
    churners: r.churners,
    churners_reached_share: r.churners_reached_share,
    churners_reached_60d_share: r.churners_reached_60d_share,
    churners_reached_90d_share: r.churners_reached_90d_share,
    median_days_ahead: r.median_days_ahead,
    plays_on_churners_share: r.plays_on_churners_share,
    arr_covered_share: r.arr_covered_share,
    per_playbook: Object.fromEntries(
      r.per_playbook.map((p) => [
        p.playbook,
        { plays: p.plays, churners_reached: p.churners_reached, on_churners: p.plays_on_churners_share },
      ]),
    ),
    seconds: r.seconds,
  };
}

/**
 * (c) The default playbooks on the simulated company, one JSON line per
 * seed: the team's load (plays per CSM per week) and the reach (churners
 * with a play ≥ 60 days ahead, plays on accounts that churned). Replayed
 * from February 2025 (a few months of history behind it) to August 2026, so
 * every churn within 90 days of a play is in the data. `without_nurture`
 * repeats it without the healthy tier's nurture play (which reaches nearly
 * every account, churner or not): the reach of the risk plays alone.
 */
async function companyBench(accounts: number, seeds: string[], from: string, to: string): Promise<void> {
  for (const seed of seeds) {
    const db = await seededCompany(accounts, seed);
    try {
      const roles = new Map(
        (await db.query<{ id: string; role: string }>("SELECT id, role FROM users WHERE active")).map((u) => [
          u.id,
          u.role,
        ]),
      );
      const withoutNurture: Playbooks = {
        ...DEFAULT_PLAYBOOKS,
        playbooks: DEFAULT_PLAYBOOKS.playbooks.filter((p) => p.key !== "healthy_nurture"),
      };
      const all = await simulateStored(db, { playbooks: DEFAULT_PLAYBOOKS, from, to });
      const risk = await simulateStored(db, { playbooks: withoutNurture, from, to });
      console.log(
        JSON.stringify({
          bench: "company",
          seed,
          accounts: all.accounts,
          from,
          to,
          weeks: all.weeks,
          csms: [...roles.values()].filter((r) => r === "csm").length,
          default_playbooks: figures(all, roles),
          without_nurture: figures(risk, roles),
        }),
      );
    } finally {
      await db.close();
    }
  }
}

/**
 * `npm run bench -- playbooks [--part evaluate,simulate,company] [--store pglite,postgres]
 *   [--accounts 10000] [--company-accounts 5000] [--seeds 1,2,3] [--from 2025-02-01] [--to 2026-08-01]`
 *
 * Targets (issue 18): evaluating after a full run of 10,000 accounts < 2 s on
 * PGlite, < 1 s on PostgreSQL; the simulator over 24 months × 10,000
 * accounts < 30 s; and the default playbooks' cost and reach on the
 * 5,000-account company (PostgreSQL), seed by seed.
 */
export async function main(args: string[]): Promise<void> {
  const parts = argValue(args, "part", "evaluate,simulate,company").split(",");
  const stores = argValue(args, "store", "pglite,postgres").split(",");
  const accounts = Number(argValue(args, "accounts", "10000"));
  if (parts.includes("evaluate")) for (const kind of stores) await evaluateBench(kind, accounts);
  if (parts.includes("simulate")) for (const kind of stores) await simulatorBench(kind, accounts);
  if (parts.includes("company"))
    await companyBench(
      Number(argValue(args, "company-accounts", "5000")),
      argValue(args, "seeds", "1,2,3")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      argValue(args, "from", "2025-02-01"),
      argValue(args, "to", "2026-08-01"),
    );
}
