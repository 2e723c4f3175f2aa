import { stringify } from "yaml";
import type { Scorecard } from "../domain/index.js";
import type { Db } from "../store/index.js";
import { selectValues } from "./dataset.js";
import { measurePoints } from "./measure-points.js";
import { latestReport } from "./model-store.js";
import type { ObservationSet } from "./observations.js";
import { matchBands, orderedScorecard } from "./proposal-shape.js";
import { pointsCoefficients, type Recommendation, recommendWeights } from "./recommend.js";
import { type BacktestReport, type ScorecardSide, scorecardScores, scorecardSide } from "./report.js";
import { DEFAULT_SEED, type PrepareOptions, prepareObservations } from "./service.js";
import { chooseSplits, isSkipped } from "./splits.js";

/**
 * `keepwell recommend`: proposed scorecard weights from the history (a
 * logistic model on the scorecard's own measure points, recommend.ts), and the
 * backtest of the current and the proposed scorecard on the same held-out
 * observations (the test rows of the model's backtest splits), written as a
 * scorecard file with the comparison in comments at the top. The proposal is
 * judged out of sample like the model: each split's test rows are scored by
 * weights (and bands) learned from that split's training rows only; the file
 * holds the weights learned from every row.
 *
 * New weights move the score distribution (a measure most accounts score 0 on
 * drags everyone down once it weighs more), so the proposal also moves the
 * band thresholds to keep the current mix: as many observations under
 * `watch` (at risk) and under `healthy` as the current scorecard puts there.
 * Otherwise the flag would say more about the shift than about the weights.
 */

export interface Proposal {
  recommendation: Recommendation;
  current: ScorecardSide;
  proposed: ScorecardSide;
  /** The latest stored model's figures, for reference. */
  model: { version: number; auc: number | null; lead_60_share: number | null } | null;
  method: string;
  test_rows: number;
  horizon_days: number;
  /** The proposed scorecard as YAML, its backtest in comments at the top. */
  yaml: string;
}

const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? "-" : x.toFixed(3));

function sideLine(label: string, s: ScorecardSide): string {
  return `#   ${label.padEnd(10)} AUC ${num(s.auc)}  lead_60_share ${pct(s.lead_60_share)}  flag precision ${pct(s.precision)}  recall ${pct(s.recall)}`;
}

/** The proposed file: comments (backtest, weight changes, how to apply) then the scorecard. */
export function proposalYaml(p: Omit<Proposal, "yaml">, currentVersion: number): string {
  const lines = [
    "# Keepwell proposed scorecard (keepwell recommend): weights learned from the history.",
    `# Backtest on ${p.test_rows} held-out observations (${p.method}, churn within ${p.horizon_days} days;`,
    `# flag = ${p.current.flag_rule}):`,
    sideLine("proposed", p.proposed),
    sideLine(`current v${currentVersion}`, p.current),
  ];
  if (p.model)
    lines.push(
      `#   (model v${p.model.version}: AUC ${num(p.model.auc)}, lead_60_share ${pct(p.model.lead_60_share)})`,
    );
  const b = p.recommendation.scorecard.bands;
  lines.push(
    `# Bands moved to keep the current mix of healthy / watch / at risk: healthy ${b.healthy}, watch ${b.watch}.`,
  );
  lines.push("# Category weights:");
  for (const c of p.recommendation.categories)
    lines.push(`#   ${c.key}: ${c.current_weight} -> ${c.proposed_weight}`);
  lines.push("# Measure weights (within their category):");
  for (const m of p.recommendation.measures)
    lines.push(`#   ${m.category}.${m.metric}: ${m.current_weight} -> ${m.proposed_weight} (${m.reason})`);
  lines.push("# Make it the active scorecard: keepwell scorecard apply <this file>", "");
  return `${lines.join("\n")}\n${stringify(p.recommendation.scorecard)}`;
}

/** The proposed scorecard learned from `rows` (indices into the set, labels aligned): weights, then bands. */
function learnProposal(
  set: ObservationSet,
  current: Scorecard,
  currentScores: { score: (number | null)[] },
  rows: Int32Array,
  labels: Uint8Array,
): Recommendation {
  const recommendation = recommendWeights(
    current,
    pointsCoefficients(measurePoints(set, current, rows), labels),
  );
  const proposed = scorecardScores(set, recommendation.scorecard, rows);
  const bands = matchBands(
    Array.from(rows, (i) => currentScores.score[i] ?? null),
    Array.from(rows, (i) => proposed.score[i] ?? null),
    current.bands,
  );
  recommendation.scorecard = orderedScorecard({ ...recommendation.scorecard, bands });
  return recommendation;
}

export async function proposeScorecard(
  db: Db,
  opts: PrepareOptions & { seed?: number } = {},
): Promise<Proposal> {
  const { set, trainRows, data, scorecard } = await prepareObservations(db, opts);
  const current = scorecard.scorecard;
  const { method, splits } = chooseSplits(data, data.labels, {
    horizonDays: set.horizonDays,
    seed: opts.seed ?? DEFAULT_SEED,
  });
  const currentScores = scorecardScores(set, current);
  // Out of sample: each split's test rows scored by the proposal learned on its training rows.
  const held: { score: (number | null)[]; band: (string | null)[] } = {
    score: new Array(set.accounts.length).fill(null),
    band: new Array(set.accounts.length).fill(null),
  };
  const tested = new Set<number>();
  for (const split of splits) {
    if (isSkipped(split, data.labels)) continue;
    const train = Int32Array.from(split.train, (r) => trainRows[r] as number);
    const test = Int32Array.from(split.test, (r) => trainRows[r] as number);
    const learned = learnProposal(set, current, currentScores, train, selectValues(data.labels, split.train));
    const scored = scorecardScores(set, learned.scorecard, test);
    for (const i of test) {
      held.score[i] = scored.score[i] ?? null;
      held.band[i] = scored.band[i] ?? null;
      tested.add(i);
    }
  }
  const rows = Int32Array.from([...tested].sort((a, b) => a - b));
  const recommendation = learnProposal(set, current, currentScores, trainRows, data.labels);
  const stored = await latestReport<BacktestReport>(db);
  const proposal: Omit<Proposal, "yaml"> = {
    recommendation,
    current: scorecardSide(set, rows, currentScores, {
      name: current.name,
      version: scorecard.version,
      source: "active",
    }),
    proposed: scorecardSide(set, rows, held, {
      name: recommendation.scorecard.name,
      version: null,
      source: "proposed",
    }),
    model: stored?.report
      ? {
          version: stored.version,
          auc: stored.report.model.auc,
          lead_60_share: stored.report.model.lead_60_share,
        }
      : null,
    method,
    test_rows: rows.length,
    horizon_days: set.horizonDays,
  };
  return { ...proposal, yaml: proposalYaml(proposal, scorecard.version) };
}
