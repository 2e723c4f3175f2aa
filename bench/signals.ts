/**
 * `npm run bench -- signals [--accounts 2000] [--seed signals-bench] [--store pglite|postgres]
 *   [--as-of 2025-12-01,2026-03-01,2026-06-01] [--part all|accuracy|timing|text] [--examples 3]`
 *
 * Simulates a company (a seed no test uses) into a fresh store with the
 * simulator's competitors configured, then, for each as-of date, compares
 * detectSignals against the planted truth active on that date: per kind,
 * precision and recall over (account, kind[, contact | competitor]) for the
 * accounts that are customers then, marked against the target (precision
 * ≥ 0.85, recall ≥ 0.75). Also times detectSignals over all accounts (the
 * figure: 10,000 accounts under 2 s on PostgreSQL) and scores findInText on
 * the hand-labelled sentences (test/data/signal-sentences.json).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SIGNAL_KINDS, type SignalKind } from "../src/signals/kinds.js";
import { type LabelledSet, scoreLabelled } from "../src/signals/text/index.js";
import {
  MemoryTruth,
  SIGNAL_COMPETITORS,
  type SignalTruth,
  StoreSink,
  simulate,
} from "../src/simulate/index.js";
import type { Db } from "../src/store/index.js";
import { BENCH_END } from "./company.js";
import { argValue, type BenchStore, benchStore } from "./store-for-bench.js";

const TARGET = { precision: 0.85, recall: 0.75 };
const CONTACT_KINDS = new Set<SignalKind>(["stakeholder_silence", "champion_departure"]);
const SENTENCES = fileURLToPath(new URL("../test/data/signal-sentences.json", import.meta.url));
type Detect = (
  q: Db,
  o: { asOf: string },
) => Promise<
  Array<{
    kind: SignalKind;
    account: string;
    contact: string | null;
    competitor: string | null;
    summary: string;
  }>
>;

const unitOf = (
  kind: SignalKind,
  account: string,
  contact: string | null,
  competitor: string | null,
): string =>
  `${kind}|${account}|${CONTACT_KINDS.has(kind) ? contact : kind === "competitor_mention" ? competitor : ""}`;

interface Score {
  kind: SignalKind;
  truth: number;
  detected: number;
  tp: number;
  precision: number | null;
  recall: number | null;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
const mark = (v: number | null, target: number): string =>
  v === null ? "  n/a " : `${v.toFixed(3)}${v >= target ? " ✓" : " ✗"}`;

async function loadDetect(): Promise<Detect> {
  try {
    const mod = (await import("../src/signals/detect.js")) as { detectSignals?: Detect };
    if (typeof mod.detectSignals !== "function") throw new Error("no detectSignals export");
    return mod.detectSignals;
  } catch (err) {
    throw new Error(
      `bench signals needs detectSignals from src/signals/detect.ts (helper D's): ${(err as Error).message}`,
    );
  }
}

function textPart(): unknown {
  if (!existsSync(SENTENCES)) {
    console.log("# text: test/data/signal-sentences.json not there yet; skipped");
    return null;
  }
  const set = JSON.parse(readFileSync(SENTENCES, "utf8")) as LabelledSet;
  const { kinds } = scoreLabelled(set);
  console.log(`\n# findInText on ${set.sentences.length} hand-labelled sentences`);
  console.log("kind                       tp   fp   fn  precision  recall");
  for (const k of kinds)
    console.log(
      `${k.kind.padEnd(25)} ${String(k.tp).padStart(4)} ${String(k.fp).padStart(4)} ${String(k.fn).padStart(4)}  ${mark(k.precision, TARGET.precision)}  ${mark(k.recall, TARGET.recall)}`,
    );
  return { sentences: set.sentences.length, kinds };
}

async function loadCompany(db: Db, accounts: number, seed: string): Promise<MemoryTruth> {
  const values = SIGNAL_COMPETITORS.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}::text[])`).join(", ");
  await db.query(
    `INSERT INTO competitors (name, aliases) VALUES ${values} ON CONFLICT (name) DO UPDATE SET aliases = excluded.aliases`,
    SIGNAL_COMPETITORS.flatMap((c) => [c.name, c.aliases]),
  );
  const t0 = performance.now();
  const truth = new MemoryTruth();
  const sink = new StoreSink(db);
  await simulate({ accounts, months: 24, seed, end: BENCH_END }, sink, truth);
  await sink.close();
  const records = Object.values(sink.written).reduce((a, b) => a + b, 0);
  console.log(
    `# ${accounts} accounts (seed ${seed}), ${records} records, ${truth.signalLines.length} truth lines in ${Math.round((performance.now() - t0) / 1000)} s`,
  );
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM text_findings");
  if ((row?.n ?? 0) === 0) {
    // Until ingest writes text findings itself, find them over the stored text (what a competitors change runs).
    const { redetectText } = await import("../src/signals/text-findings.js");
    const t1 = performance.now();
    await redetectText(db);
    const [again] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM text_findings");
    console.log(
      `# ingest wrote no text findings; redetectText found ${again?.n ?? 0} in ${Math.round((performance.now() - t1) / 1000)} s`,
    );
  } else console.log(`# ${row!.n} text findings written at ingest`);
  return truth;
}

/** The truth and detections, per kind, as of one day, over the accounts that are customers then. */
function scoreDay(
  truth: MemoryTruth,
  found: Awaited<ReturnType<Detect>>,
  day: string,
  examples: number,
): Score[] {
  const customers = new Set(
    truth.accounts
      .filter((a) => a.started_at <= day && (a.churn_date === null || a.churn_date > day))
      .map((a) => a.id),
  );
  const active = (l: SignalTruth): boolean =>
    customers.has(l.account) && l.from <= day && (l.to === null || day <= l.to);
  const want = new Map<string, SignalTruth>();
  for (const l of truth.signalLines)
    if (active(l)) want.set(unitOf(l.kind, l.account, l.contact, l.competitor), l);
  const got = new Map<string, (typeof found)[number]>();
  for (const s of found)
    if (customers.has(s.account)) got.set(unitOf(s.kind, s.account, s.contact, s.competitor), s);
  return SIGNAL_KINDS.map((kind) => {
    const w = [...want.keys()].filter((k) => k.startsWith(`${kind}|`));
    const g = [...got.keys()].filter((k) => k.startsWith(`${kind}|`));
    const tp = g.filter((k) => want.has(k)).length;
    if (examples > 0) {
      for (const k of g.filter((x) => !want.has(x)).slice(0, examples))
        console.log(`#   ${day} extra  ${k}: ${got.get(k)!.summary}`);
      for (const k of w.filter((x) => !got.has(x)).slice(0, examples))
        console.log(
          `#   ${day} missed ${k} (${want.get(k)!.origin}, ${want.get(k)!.from}…${want.get(k)!.to ?? ""})`,
        );
    }
    const hasTruth = kind !== "critical_dissatisfaction";
    return {
      kind,
      truth: w.length,
      detected: g.length,
      tp,
      precision: hasTruth ? ratio(tp, g.length) : null,
      recall: hasTruth ? ratio(tp, w.length) : null,
    };
  });
}

function printScores(title: string, scores: Score[]): void {
  console.log(`\n# ${title}`);
  console.log("kind                       truth  found     tp  precision  recall");
  for (const s of scores)
    console.log(
      `${s.kind.padEnd(25)} ${String(s.truth).padStart(6)} ${String(s.detected).padStart(6)} ${String(s.tp).padStart(6)}  ${mark(s.precision, TARGET.precision)}  ${mark(s.recall, TARGET.recall)}`,
    );
}

export async function main(args: string[]): Promise<void> {
  const accounts = Number(argValue(args, "accounts", "2000"));
  const seed = argValue(args, "seed", "signals-bench");
  const kind = argValue(args, "store", "pglite") as BenchStore;
  const part = argValue(args, "part", "all");
  const examples = Number(argValue(args, "examples", "3"));
  const days = argValue(args, "as-of", "2025-12-01,2026-03-01,2026-06-01").split(",");
  const result: Record<string, unknown> = { accounts, seed, store: kind, as_of: days, target: TARGET };
  if (part === "all" || part === "text") result.text = textPart();
  if (part !== "text") {
    const detect = await loadDetect();
    const { db, cleanup } = await benchStore(kind);
    try {
      const truth = await loadCompany(db, accounts, seed);
      if (part === "all" || part === "accuracy") {
        const total = new Map<SignalKind, Score>();
        const perDay: Record<string, Score[]> = {};
        for (const day of days) {
          const t0 = performance.now();
          const found = await detect(db, { asOf: day });
          const ms = Math.round(performance.now() - t0);
          const scores = scoreDay(truth, found, day, examples);
          perDay[day] = scores;
          printScores(`as of ${day} (detectSignals ${ms} ms, ${found.length} signals)`, scores);
          for (const s of scores) {
            const t = total.get(s.kind) ?? { ...s, truth: 0, detected: 0, tp: 0 };
            t.truth += s.truth;
            t.detected += s.detected;
            t.tp += s.tp;
            total.set(s.kind, t);
          }
        }
        const overall = [...total.values()].map((t) => ({
          ...t,
          precision: t.kind === "critical_dissatisfaction" ? null : ratio(t.tp, t.detected),
          recall: t.kind === "critical_dissatisfaction" ? null : ratio(t.tp, t.truth),
        }));
        printScores(`all ${days.length} dates`, overall);
        result.accuracy = { overall, per_day: perDay };
      }
      if (part === "all" || part === "timing") {
        const runs: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await detect(db, { asOf: days[days.length - 1]! });
          runs.push((performance.now() - t0) / 1000);
        }
        const median = runs.sort((a, b) => a - b)[1]!;
        console.log(
          `\n# detectSignals over all ${accounts} accounts on ${db.label}: median ${median.toFixed(2)} s of 3 (target for 10,000 on PostgreSQL: < 2 s)`,
        );
        result.timing = { accounts, store: db.label, seconds: Math.round(median * 1000) / 1000, runs };
      }
    } finally {
      await cleanup();
    }
  }
  console.log(`\n${JSON.stringify(result)}`);
}
