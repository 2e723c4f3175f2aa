import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import { ensureHistory, loadObservations, seededRandom, trainAndStore } from "../src/predict/index.js";
import { activeScorecard } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

/**
 * A company whose history is only imported `metrics` rows (a warehouse push,
 * monthly on the 15th) and the accounts with their churn dates: no events,
 * tickets or invoices at all.
 */

const ACCOUNTS = 60;
const FIRST = Date.UTC(2024, 0, 15);
const MONTHS = 14; // 2024-01-15 … 2025-02-15
const DAY = 86_400_000;

function company() {
  const random = seededRandom(7, 3);
  const accounts: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const id = `imp_${String(a + 1).padStart(3, "0")}`;
    // Every other of the first 48 accounts churns, spread from April 2024 to January 2025; a fixed one on 2024-06-10.
    const churn =
      a === 0 ? Date.UTC(2024, 5, 10) : a % 2 === 0 && a < 48 ? Date.UTC(2024, 3, 3) + a * 6 * DAY : null;
    accounts.push({
      id,
      name: `Imported ${a + 1}`,
      segment: "smb",
      status: churn === null ? "active" : "churned",
      churned_at: churn === null ? null : new Date(churn).toISOString(),
    });
    for (let m = 0; m < MONTHS; m++) {
      const d = new Date(FIRST);
      d.setUTCMonth(d.getUTCMonth() + m);
      if (churn !== null && d.getTime() >= churn) break;
      const daysLeft = churn === null ? Number.POSITIVE_INFINITY : (churn - d.getTime()) / DAY;
      const decline = daysLeft < 120 ? 1 - daysLeft / 120 : 0;
      const date = d.toISOString().slice(0, 10);
      metrics.push(
        {
          account: id,
          date,
          name: "logins_30d",
          value: Math.round(40 * (1 - 0.8 * decline) + 8 * random.next()),
        },
        { account: id, date, name: "open_tickets", value: Math.round(3 * decline + 1.5 * random.next()) },
      );
    }
  }
  return { accounts, metrics };
}

describe(`churn prediction from imported metrics only (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    const { accounts, metrics } = company();
    await importRecords(db, ENTITIES.accounts, jsonRecords(accounts));
    await importRecords(db, ENTITIES.metrics, jsonRecords(metrics));
  });
  afterAll(async () => {
    await db.close();
  });

  it("backfills a history that carries the imported names", async () => {
    const history = await ensureHistory(db, await activeScorecard(db));
    expect(history.span).toEqual({ first: "2024-01-15T00:00:00.000Z", last: "2025-02-16T00:00:00.000Z" });
    expect(history.months[0]).toBe("2024-02-01T00:00:00.000Z");
    expect(history.months.at(-1)).toBe("2025-02-01T00:00:00.000Z");
    expect(history.months).toHaveLength(13);
    const set = await loadObservations(db);
    expect(set.matrix.names).toEqual(expect.arrayContaining(["logins_30d", "open_tickets"]));
  });

  it("labels by the churn date and leaves the last horizon unlabelled", async () => {
    const set = await loadObservations(db, { horizonDays: 90 });
    expect(set.knownUntil).toBe("2025-02-16T00:00:00.000Z");
    const rows = set.accounts.flatMap((a, i) =>
      a === "imp_001" ? [{ date: set.dates[i], label: set.labels[i], labelled: set.labelled[i] }] : [],
    );
    // Churned 2024-06-10: Mar 1 + 90 days is May 30 (no churn yet); April to June churn within 90 days; no row after.
    expect(rows).toEqual([
      { date: "2024-02-01", label: 0, labelled: 1 },
      { date: "2024-03-01", label: 0, labelled: 1 },
      { date: "2024-04-01", label: 1, labelled: 1 },
      { date: "2024-05-01", label: 1, labelled: 1 },
      { date: "2024-06-01", label: 1, labelled: 1 },
    ]);
    set.dates.forEach((d, i) => {
      expect(set.labelled[i], d).toBe(d <= "2024-11-01" ? 1 : 0);
    });
  });

  it("trains and predicts every current account", async () => {
    const r = await trainAndStore(db, { horizonDays: 90 });
    expect(r.model.feature_names).toEqual(expect.arrayContaining(["logins_30d", "open_tickets"]));
    expect(r.report.model.auc).toBeGreaterThan(0.8);
    const current = await db.query<{ account: string; p: number | null; drivers: { feature: string }[] }>(
      "SELECT account, churn_probability AS p, churn_drivers AS drivers FROM current_scores ORDER BY account",
    );
    const [active] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM accounts WHERE churned_at IS NULL",
    );
    expect(current).toHaveLength(active!.n);
    for (const row of current) {
      expect(row.p).toBeGreaterThanOrEqual(0);
      expect(row.p).toBeLessThanOrEqual(1);
      expect(row.drivers.map((d) => d.feature)).toEqual(expect.arrayContaining(["logins_30d"]));
    }
  });
});
