import { activeScorecard, runScoring } from "../../scoring/index.js";
import { type AfterScoringDeps, afterScoring } from "../after-scoring.js";
import type { RescoreAccountsPayload } from "../definitions/index.js";

export interface RescoreResult {
  accounts: number;
  seconds: number;
}

/**
 * Fresh scores for the accounts of a batch of jobs, scored together: their
 * current scores as of `now`, then what follows every run (afterScoring).
 */
export async function rescoreAccounts(
  deps: AfterScoringDeps,
  payloads: readonly RescoreAccountsPayload[],
  now: Date,
): Promise<RescoreResult> {
  const { db } = deps;
  const began = performance.now();
  const accounts = [...new Set(payloads.flatMap((p) => p.accounts))];
  const scorecard = await activeScorecard(db);
  const run = await runScoring(db, { asOf: now.toISOString(), scorecard, accounts, target: "current" });
  await afterScoring(deps, run);
  return { accounts: accounts.length, seconds: (performance.now() - began) / 1000 };
}
