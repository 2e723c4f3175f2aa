/**
 * What every metric query is asked: the instant T (facts strictly before it
 * count) and, optionally, the accounts to compute for. A `Scope` builds the
 * parameters of one query: `$1` is T, then the account ids when given, then
 * whatever the query adds with `param()`.
 */

import type { Queryable } from "../store/index.js";

export interface MetricContext {
  /** An ISO instant: only facts dated strictly before it count. */
  asOf: string;
  /** The accounts to compute for; all accounts when absent. */
  accounts?: readonly string[];
  /** Event names counted by core feature adoption (the scorecard's `core_features`). */
  coreFeatures: readonly string[];
}

/** Checks `asOf` and returns it in canonical ISO form. Throws a RangeError when it is not a date. */
export function asOfInstant(asOf: string): string {
  const t = new Date(asOf);
  if (Number.isNaN(t.getTime())) throw new RangeError(`asOf must be an ISO date or instant, got "${asOf}"`);
  return t.toISOString();
}

export class Scope {
  readonly params: unknown[];
  private readonly accountsParam: string | null;

  /** `timeless`: a query that does not read T (then `$1` is the account ids, when given). */
  constructor(ctx: MetricContext, opts: { timeless?: boolean } = {}) {
    this.params = opts.timeless ? [] : [asOfInstant(ctx.asOf)];
    this.accountsParam = ctx.accounts === undefined ? null : this.param([...ctx.accounts]);
  }

  /** T as a timestamptz expression. */
  readonly t = "$1::timestamptz";
  /** T's UTC day: the roll-ups' and dates' windows end just before it. */
  readonly day = "($1::timestamptz AT TIME ZONE 'UTC')::date";

  /** T minus `days` days, as a timestamptz expression. */
  daysBefore(days: number): string {
    return `($1::timestamptz - interval '${Math.trunc(days)} days')`;
  }

  /** T's UTC day minus `days`, as a date expression. */
  dayMinus(days: number): string {
    return `(${this.day} - ${Math.trunc(days)})`;
  }

  /** A condition keeping rows of the accounts in scope (TRUE when all accounts are). */
  accountIn(column: string): string {
    return this.accountsParam === null ? "TRUE" : `${column} = ANY(${this.accountsParam}::text[])`;
  }

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** The roles whose presence counts as executive engagement. */
export const EXEC_ROLES_SQL = "('executive_sponsor', 'decision_maker')";

/** The ids of the accounts in scope, in id order. */
export async function accountsInScope(db: Queryable, ctx: MetricContext): Promise<string[]> {
  const s = new Scope(ctx, { timeless: true });
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM accounts WHERE ${s.accountIn("id")} ORDER BY id`,
    s.params,
  );
  return rows.map((r) => r.id);
}

/** The subscription active at `at` for each account (the latest started): its seats, discount and term. */
export function activeSubscriptionSql(s: Scope, at: string): string {
  return `SELECT DISTINCT ON (account) account, seats, discount_pct, term_months
  FROM subscriptions
  WHERE started_at < ${at} AND (ended_at IS NULL OR ended_at >= ${at}) AND ${s.accountIn("account")}
  ORDER BY account, started_at DESC, id DESC`;
}

/** Accounts that were customers at T: a subscription started before it. */
export function customerSql(s: Scope): string {
  return `SELECT DISTINCT account FROM subscriptions WHERE started_at < ${s.t} AND ${s.accountIn("account")}`;
}
