/**
 * Computes every metric for every account in scope as of T: the area
 * queries and the imported metrics, then merged per account in order of
 * strength: zeros implied by absent facts, then imported values, then values
 * measured from facts (a warehouse can push `active_users_30d` for accounts
 * whose events it keeps; a value computed here from facts still wins).
 */
import type { Queryable } from "../store/index.js";
import { billingMetrics } from "./billing.js";
import { contractMetrics } from "./contract.js";
import { addEngagedStakeholders, engagementMetrics } from "./engagement.js";
import { importedMetrics } from "./imported.js";
import { accountsInScope, asOfInstant, type MetricContext } from "./scope.js";
import { supportMetrics } from "./support.js";
import { usageMetrics } from "./usage.js";
import type { AccountValues } from "./values.js";

/**
 * Account → metric name → value as of `ctx.asOf`, for every account in scope
 * (an account with no data at all maps to {}). A metric with no data for an
 * account has no key: missing is never 0.
 */
export async function computeMetrics(
  db: Queryable,
  ctx: MetricContext,
): Promise<Map<string, Record<string, number>>> {
  asOfInstant(ctx.asOf); // throws on a bad date before any query runs
  const [accounts, imported, usage, support, billing, contract, engagement] = await Promise.all([
    accountsInScope(db, ctx),
    importedMetrics(db, ctx),
    usageMetrics(db, ctx),
    supportMetrics(db, ctx),
    billingMetrics(db, ctx),
    contractMetrics(db, ctx),
    engagementMetrics(db, ctx),
  ]);
  addEngagedStakeholders(engagement, usage.contactUsers);
  const areas = [usage.found, support, billing, contract, engagement.found];
  const out = new Map<string, Record<string, number>>();
  for (const account of accounts) {
    const values: AccountValues = {};
    for (const area of areas) Object.assign(values, area.implied.get(account));
    Object.assign(values, imported.get(account));
    for (const area of areas) Object.assign(values, area.measured.get(account));
    out.set(account, sortedByName(values));
  }
  return out;
}

function sortedByName(values: AccountValues): AccountValues {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
