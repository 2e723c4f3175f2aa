import { refreshAfterScoring } from "../../predict/index.js";
import { activeScorecard, runScoring } from "../../scoring/index.js";
import type { Db } from "../../store/index.js";
import type { RescoreAccountsPayload } from "../definitions/index.js";

export interface RescoreResult {
  accounts: number;
  seconds: number;
}

/**
 * Fresh scores for the accounts of a batch of jobs, scored together: their
 * current scores as of `now`, then the churn model's predictions for them.
 */
export async function rescoreAccounts(
  db: Db,
  payloads: readonly RescoreAccountsPayload[],
  now: Date,
): Promise<RescoreResult> {
  const began = performance.now();
  const accounts = [...new Set(payloads.flatMap((p) => p.accounts))];
  const scorecard = await activeScorecard(db);
  await runScoring(db, { asOf: now.toISOString(), scorecard, accounts, target: "current" });
  await refreshAfterScoring(db, accounts);
  return { accounts: accounts.length, seconds: (performance.now() - began) / 1000 };
}
