import type { BulkRows, Cell, Queryable } from "../store/index.js";
import { rowCount } from "../store/index.js";

/**
 * Daily usage roll-ups of events, maintained at ingest in the same transaction
 * as the events themselves: per (day, account, user) and per (day, account,
 * feature name), the number of events and the sum of their values.
 */
export interface Rollup {
  users: Cell[][];
  features: Cell[][];
}

/** Aggregates a batch of event cells (columns id, account, user_id, ts, name, value, …) in memory. */
export function rollUp(columns: readonly string[], rows: readonly (readonly Cell[])[]): Rollup {
  const a = columns.indexOf("account");
  const u = columns.indexOf("user_id");
  const t = columns.indexOf("ts");
  const n = columns.indexOf("name");
  const v = columns.indexOf("value");
  const users = new Map<string, [string, string, string, number, number]>();
  const features = new Map<string, [string, string, string, number, number]>();
  for (const row of rows) {
    // Timestamps are written in UTC ISO form, so the first ten characters are the UTC day.
    const day = (row[t] as string).slice(0, 10);
    const account = row[a] as string;
    const user = row[u] ?? "";
    const name = row[n] as string;
    const value = Number(row[v] ?? 1);
    const uk = `${day}\u0000${account}\u0000${user}`;
    const ue = users.get(uk);
    if (ue) {
      ue[3] += 1;
      ue[4] += value;
    } else users.set(uk, [day, account, user, 1, value]);
    const fk = `${day}\u0000${account}\u0000${name}`;
    const fe = features.get(fk);
    if (fe) {
      fe[3] += 1;
      fe[4] += value;
    } else features.set(fk, [day, account, name, 1, value]);
  }
  const cells = (m: Map<string, [string, string, string, number, number]>) =>
    [...m.values()].map(([d, acc, k, e, val]) => [d, acc, k, String(e), String(val)]);
  return { users: cells(users), features: cells(features) };
}

/** Appends a batch's roll-up (partial sums: readers add them up). */
export async function addRollup(tx: Queryable, r: { users: BulkRows; features: BulkRows }): Promise<void> {
  if (rowCount(r.users)) {
    await tx.appendRows("usage_user_days", ["day", "account", "user_id", "events", "value"], r.users);
  }
  if (rowCount(r.features)) {
    await tx.appendRows("usage_feature_days", ["day", "account", "name", "events", "value"], r.features);
  }
}

/**
 * The same, in SQL, from the events a merge actually inserted (`inserted` is a
 * CTE of them): used when some events of a batch were sent before.
 */
export function rollupFromInsertedSql(inserted: string): string {
  return `, ru AS (
    INSERT INTO usage_user_days (day, account, user_id, events, value)
    SELECT (ts AT TIME ZONE 'UTC')::date, account, coalesce(user_id, ''), count(*), sum(value) FROM ${inserted} GROUP BY 1, 2, 3
  ), rf AS (
    INSERT INTO usage_feature_days (day, account, name, events, value)
    SELECT (ts AT TIME ZONE 'UTC')::date, account, name, count(*), sum(value) FROM ${inserted} GROUP BY 1, 2, 3
  )`;
}
