import { z } from "zod";

/**
 * Fresh scores: an import that changed accounts' facts asks, in its own
 * transaction, for their current scores to be computed again; a worker does
 * it, whichever process imported.
 */
export const RESCORE_ACCOUNTS = "rescore-accounts";

export const rescoreAccountsPayload = z.object({ accounts: z.array(z.string()).min(1) });
export type RescoreAccountsPayload = z.infer<typeof rescoreAccountsPayload>;
