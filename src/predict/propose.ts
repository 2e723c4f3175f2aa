import { stringify } from "yaml";
import type { Scorecard } from "../domain/index.js";
import type { Db } from "../store/index.js";
import { matrixFromRecords } from "./dataset.js";
import { latestReport } from "./model-store.js";
import { featureNames } from "./observations.js";
import { matchBands, orderedScorecard } from "./proposal-shape.js";
import { type Recommendation, recommendWeights, scorecardCoefficients } from "./recommend.js";
import { type BacktestReport, type ScorecardSide, scorecardScores, scorecardSide } from "./report.js";
import { DEFAULT_SEED, type PrepareOptions, prepareObservations } from "./service.js";
import { chooseSplits } from "./splits.js";

/**
 * `keepwell recommend`: proposed scorecard weights from the history (a
 * logistic model on the scorecard's own metrics), and the backtest of the
 * current and the proposed scorecard on the same held-out observations (the
 * test rows of the model's backtest splits), written as a scorecard file with
 * the comparison in comments at the top.
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

export async function proposeScorecard(
  db: Db,
  opts: PrepareOptions & { seed?: number } = {},
): Promise<Proposal> {
  const { set, trainRows, data, scorecard } = await prepareObservations(db, opts);
  const { method, splits } = chooseSplits(data, data.labels, {
    horizonDays: set.horizonDays,
    seed: opts.seed ?? DEFAULT_SEED,
  });
  const tested = new Set<number>();
  for (const s of splits) for (const r of s.test) tested.add(trainRows[r] as number);
  const rows = Int32Array.from([...tested].sort((a, b) => a - b));
  // The scorecard measures raw metrics, so its coefficients come from the raw values, not the model's features.
  const rawMetrics = Array.from(trainRows, (i) => set.metrics[i] ?? {});
  const coefficients = scorecardCoefficients(
    scorecard.scorecard,
    matrixFromRecords(featureNames(rawMetrics), rawMetrics),
    data.labels,
  );
  const recommendation = recommendWeights(scorecard.scorecard, coefficients);
  const currentScores = scorecardScores(set, scorecard.scorecard);
  const proposedScores = scorecardScores(set, recommendation.scorecard);
  const training = Array.from(trainRows);
  const bands = matchBands(
    training.map((i) => currentScores.score[i] ?? null),
    training.map((i) => proposedScores.score[i] ?? null),
    scorecard.scorecard.bands,
  );
  recommendation.scorecard = orderedScorecard({ ...recommendation.scorecard, bands });
  const side = (sc: Scorecard, version: number | null, source: string) =>
    scorecardSide(set, rows, scorecardScores(set, sc), { name: sc.name, version, source });
  const stored = await latestReport<BacktestReport>(db);
  const proposal: Omit<Proposal, "yaml"> = {
    recommendation,
    current: scorecardSide(set, rows, currentScores, {
      name: scorecard.scorecard.name,
      version: scorecard.version,
      source: "active",
    }),
    proposed: side(recommendation.scorecard, null, "proposed"),
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
