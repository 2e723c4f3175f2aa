/**
 * How long detecting every signal kind takes for all accounts of a simulated
 * company (1,000 accounts, 13 months), printed in seconds per detector and in
 * all. The figure (10,000 accounts under 2 s on PostgreSQL) is the
 * lead's bench; this keeps the queries set-based (a generous ceiling).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DETECTORS, detectSignals, type SignalKind } from "../src/signals/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";

const END = "2025-07-01T00:00:00.000Z";
const ACCOUNTS = 1000;

describe(`detectSignals timing (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: ACCOUNTS, months: 13, seed: "signals-timing", end: END });
    // Text findings as ingest would write them: a few per account, of every kind, over the last 120 days.
    await db.query(
      `INSERT INTO text_findings (entity, record_id, account, contact, at, kind, competitor, sentence, match_start, match_end)
       SELECT CASE i % 3 WHEN 0 THEN 'tickets' WHEN 1 THEN 'notes' ELSE 'surveys' END, a.id || '_f' || i, a.id, NULL,
              $1::timestamptz - (i * 17 % 120) * interval '1 day',
              (ARRAY['competitor_mention', 'feature_parity_request', 'evaluating_alternatives', 'departure', 'procurement_pushback'])[1 + i % 5],
              CASE WHEN i % 5 < 3 THEN (ARRAY['Northwind Analytics', 'Contoso'])[1 + i % 2] END,
              'We are looking at Northwind Analytics.', 18, 37
       FROM accounts a CROSS JOIN generate_series(0, 4) AS i
       WHERE hashtext(a.id) % 3 = 0`,
      [END],
    );
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it(`detects every kind for ${ACCOUNTS} accounts`, async () => {
    const [{ n }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts")) as [
      { n: number },
    ];
    expect(n).toBeGreaterThanOrEqual(1000);
    await detectSignals(db, { asOf: END }); // warm
    const per: string[] = [];
    for (const kind of Object.keys(DETECTORS) as SignalKind[]) {
      const t0 = performance.now();
      const found = await detectSignals(db, { asOf: END, kinds: [kind] });
      per.push(`${kind} ${((performance.now() - t0) / 1000).toFixed(3)} s (${found.length})`);
    }
    const t0 = performance.now();
    const all = await detectSignals(db, { asOf: END });
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `detectSignals, ${n} accounts on ${storeName}: ${seconds.toFixed(3)} s, ${all.length} signals\n  ${per.join("\n  ")}`,
    );
    const kinds = new Set(all.map((s) => s.kind));
    for (const k of ["competitor_mention", "stakeholder_silence", "critical_dissatisfaction"])
      expect(kinds).toContain(k);
    expect(seconds).toBeLessThan(storeName === "postgres" ? 5 : 30);
  });
});
