import type { EventTotals } from "./inputs.js";
import type { Query } from "./stores.js";

/** What the store holds of one set of events (those of accounts whose id starts with a prefix). */
export interface EventState {
  events: number;
  value: number;
  /** sum(events) and sum(value) over usage_user_days, and its (day, account, user) groups. */
  userEvents: number;
  userValue: number;
  userDays: number;
  /** The same over usage_feature_days. */
  featureEvents: number;
  featureValue: number;
  featureDays: number;
  /** Roll-up groups that differ from what the stored events give (both directions). */
  userMismatch: number;
  featureMismatch: number;
}

export type Whole = "none" | "all" | "partial";

const OF = "left(account, length($1)) = $1";

function mismatchSql(table: string, key: string, eventKey: string): string {
  return `WITH r AS (
      SELECT day, account, ${key} AS k, sum(events)::float8 AS n, sum(value)::float8 AS v
      FROM ${table} WHERE ${OF} GROUP BY 1, 2, 3
    ), e AS (
      SELECT (ts AT TIME ZONE 'UTC')::date AS day, account, ${eventKey} AS k, count(*)::float8 AS n, sum(value)::float8 AS v
      FROM events WHERE ${OF} GROUP BY 1, 2, 3
    )
    SELECT count(*)::int AS n FROM ((SELECT * FROM r EXCEPT SELECT * FROM e) UNION ALL (SELECT * FROM e EXCEPT SELECT * FROM r)) d`;
}

export async function eventState(q: Query, prefix: string): Promise<EventState> {
  const [e] = await q<{ n: number; v: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(value), 0)::float8 AS v FROM events WHERE ${OF}`,
    [prefix],
  );
  const rollup = async (table: string, key: string) => {
    const [r] = await q<{ n: number; v: number; g: number }>(
      `SELECT coalesce(sum(n), 0)::float8 AS n, coalesce(sum(v), 0)::float8 AS v, count(*)::int AS g FROM (
         SELECT sum(events) AS n, sum(value) AS v FROM ${table} WHERE ${OF} GROUP BY day, account, ${key}) t`,
      [prefix],
    );
    return r!;
  };
  const u = await rollup("usage_user_days", "user_id");
  const f = await rollup("usage_feature_days", "name");
  const [um] = await q<{ n: number }>(mismatchSql("usage_user_days", "user_id", "coalesce(user_id, '')"), [
    prefix,
  ]);
  const [fm] = await q<{ n: number }>(mismatchSql("usage_feature_days", "name", "name"), [prefix]);
  return {
    events: e!.n,
    value: e!.v,
    userEvents: u.n,
    userValue: u.v,
    userDays: u.g,
    featureEvents: f.n,
    featureValue: f.v,
    featureDays: f.g,
    userMismatch: um!.n,
    featureMismatch: fm!.n,
  };
}

/** None, all (events and roll-ups exactly what the whole set gives), or partial (a defect). */
export function wholeOf(s: EventState, expected: EventTotals): Whole {
  const consistent = s.userMismatch === 0 && s.featureMismatch === 0;
  if (
    s.events === 0 &&
    s.userEvents === 0 &&
    s.featureEvents === 0 &&
    s.userDays === 0 &&
    s.featureDays === 0
  )
    return "none";
  const all =
    consistent &&
    s.events === expected.events &&
    s.value === expected.value &&
    s.userEvents === expected.events &&
    s.featureEvents === expected.events &&
    s.userValue === expected.value &&
    s.featureValue === expected.value &&
    s.userDays === expected.userDays &&
    s.featureDays === expected.featureDays;
  return all ? "all" : "partial";
}

/** One line describing a state that is not what was expected. */
export function describeState(s: EventState, expected: EventTotals): string {
  return `events ${s.events}/${expected.events} (value ${s.value}/${expected.value}); usage_user_days sum(events) ${s.userEvents}, ${s.userDays} groups (expected ${expected.userDays}), ${s.userMismatch} differ from the events; usage_feature_days sum(events) ${s.featureEvents}, ${s.featureDays} groups (expected ${expected.featureDays}), ${s.featureMismatch} differ`;
}
