import { z } from "zod";

/**
 * After a scoring run: evaluate the playbooks for the accounts it scored (all
 * of them when `accounts` is absent), as of the run. Queued by afterScoring,
 * so a crash between scoring and evaluation never skips it.
 */
export const EVALUATE_PLAYBOOKS = "evaluate-playbooks";

export const evaluatePlaybooksPayload = z.object({
  as_of: z.string(),
  accounts: z.array(z.string()).optional(),
});
export type EvaluatePlaybooksPayload = z.infer<typeof evaluatePlaybooksPayload>;
