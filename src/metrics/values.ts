/**
 * What the metric queries found, per account and metric, in two strengths:
 *
 * - `measured`: a value computed from facts before T (which may well be 0, e.g.
 *   active users when the account's product usage stopped).
 * - `implied`: a zero implied by the absence of facts where absence means
 *   zero: no tickets in 90 days from an account that was a customer, while
 *   the store does hold tickets. An imported value of the same name beats it.
 */
export type AccountValues = Record<string, number>;

export class FoundValues {
  readonly measured = new Map<string, AccountValues>();
  readonly implied = new Map<string, AccountValues>();

  /**
   * Records one metric of one account: `value` when it is a finite number,
   * else 0 as an implied value when `zeroWhenAbsent`, else nothing (missing).
   */
  add(account: string, name: string, value: unknown, zeroWhenAbsent = false): void {
    if (typeof value === "number" && Number.isFinite(value)) put(this.measured, account, name, value);
    else if (zeroWhenAbsent) put(this.implied, account, name, 0);
  }
}

function put(map: Map<string, AccountValues>, account: string, name: string, value: number): void {
  const values = map.get(account);
  if (values) values[name] = value;
  else map.set(account, { [name]: value });
}

/** A SQL number that may come back as null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
