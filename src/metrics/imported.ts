/**
 * Metrics computed elsewhere (a warehouse) and imported through the `metrics`
 * entity: every name's latest value dated before T's UTC day (a daily value
 * is known once its day is over), per account.
 */
import type { Queryable } from "../store/index.js";
import { type MetricContext, Scope } from "./scope.js";
import type { AccountValues } from "./values.js";

export function importedSql(s: Scope): string {
  return `
SELECT DISTINCT ON (account, name) account, name, value
FROM metrics
WHERE date < ${s.day} AND ${s.accountIn("account")}
ORDER BY account, name, date DESC`;
}

export async function importedMetrics(
  db: Queryable,
  ctx: MetricContext,
): Promise<Map<string, AccountValues>> {
  const s = new Scope(ctx);
  const rows = await db.query<{ account: string; name: string; value: number }>(importedSql(s), s.params);
  const out = new Map<string, AccountValues>();
  for (const r of rows) {
    const value = Number(r.value);
    if (!Number.isFinite(value)) continue;
    const values = out.get(r.account);
    if (values) values[r.name] = value;
    else out.set(r.account, { [r.name]: value });
  }
  return out;
}
