import { activeScorecard } from "../../src/scoring/index.js";
import type { Db } from "../../src/store/index.js";

export interface SeedAccount {
  id: string;
  owner?: string | null;
  score: number | null;
  band: "healthy" | "watch" | "at_risk" | "critical" | null;
  churn_probability?: number | null;
  signals?: string[];
  segment?: string | null;
  plan?: string | null;
  arr?: number | null;
  renewal_date?: string | null;
  /** Monthly history: month (YYYY-MM-01) → score. */
  history?: Record<string, number>;
}

/**
 * Accounts with current scores (and optional monthly history), written
 * straight into the store the way a scoring run leaves them, so a test can
 * set the exact score, band and signals a playbook sees.
 */
export async function seedScores(db: Db, accounts: readonly SeedAccount[], asOf: Date): Promise<void> {
  const { version } = await activeScorecard(db);
  await db.transaction(async (tx) => {
    for (const a of accounts) {
      await tx.query(
        `INSERT INTO accounts (id, name, owner, segment, plan, arr, renewal_date) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, segment = EXCLUDED.segment, plan = EXCLUDED.plan,
           arr = EXCLUDED.arr, renewal_date = EXCLUDED.renewal_date`,
        [
          a.id,
          `Account ${a.id}`,
          a.owner ?? null,
          a.segment ?? null,
          a.plan ?? null,
          a.arr ?? null,
          a.renewal_date ?? null,
        ],
      );
      await tx.query(
        `INSERT INTO current_scores (account, as_of, score, band, completeness, categories, explanation, signals, metrics,
                                     scorecard_version, churn_probability)
         VALUES ($1, $2, $3, $4, 1, '{}', '{}', $5::json, '{}', $6, $7)
         ON CONFLICT (account) DO UPDATE SET as_of = EXCLUDED.as_of, score = EXCLUDED.score, band = EXCLUDED.band,
           signals = EXCLUDED.signals, churn_probability = EXCLUDED.churn_probability`,
        [
          a.id,
          asOf.toISOString(),
          a.score,
          a.band,
          JSON.stringify((a.signals ?? []).map((name) => ({ name, label: name.replaceAll("_", " ") }))),
          version,
          a.churn_probability ?? null,
        ],
      );
      for (const [month, score] of Object.entries(a.history ?? {}))
        await tx.query(
          `INSERT INTO score_history (account, month, score, band, completeness, categories, explanation, signals, metrics, scorecard_version)
           VALUES ($1, $2, $3, NULL, 1, '{}', '{}', '[]', '{}', $4)
           ON CONFLICT (account, month) DO UPDATE SET score = EXCLUDED.score`,
          [a.id, month, score, version],
        );
    }
  });
}
