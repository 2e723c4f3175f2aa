import { type EvaluationSummary, evaluatePlaybooks } from "../../playbooks/index.js";
import type { Db } from "../../store/index.js";
import type { EvaluatePlaybooksPayload } from "../definitions/index.js";

/**
 * The playbooks' evaluation after scoring runs, for a batch of jobs at once:
 * the union of their accounts (everyone when any job asks for all), as of now.
 */
export async function evaluateQueued(
  db: Db,
  payloads: readonly EvaluatePlaybooksPayload[],
  now: Date,
): Promise<EvaluationSummary> {
  const all = payloads.some((p) => p.accounts === undefined);
  const accounts = all ? undefined : [...new Set(payloads.flatMap((p) => p.accounts ?? []))];
  return evaluatePlaybooks(db, { now, accounts });
}
