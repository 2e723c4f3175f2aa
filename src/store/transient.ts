import pRetry from "p-retry";

/**
 * PostgreSQL's answers that mean "try again": a serialisation failure or a
 * deadlock, where the server rolled this transaction back so that another
 * could finish. Anything else is not retried.
 */
const TRANSIENT = new Set(["40001", "40P01"]);

export function isTransient(err: unknown): boolean {
  return TRANSIENT.has((err as { code?: string } | null)?.code ?? "");
}

/**
 * Runs `attempt` (a whole transaction, from its start) again after a
 * transient failure, with jittered exponential backoff, up to `retries` more
 * times; any other error, or the last transient one, is thrown as it came.
 */
export function retryTransient<T>(attempt: () => Promise<T>, retries = 6): Promise<T> {
  return pRetry(attempt, {
    retries,
    minTimeout: 20,
    maxTimeout: 1000,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => isTransient(error),
  });
}

/** Runs `cleanup` after a failure without letting its own error hide the first one. */
export async function cleanUpAfter(first: unknown, cleanup: () => Promise<unknown>): Promise<never> {
  await cleanup().catch(() => undefined);
  throw first;
}
