import { isPresent } from "./scales.js";

export interface PercentileRow<A = string> {
  account: A;
  /** Accounts are ranked among those of the same segment; null/undefined form one group. */
  segment: string | null | undefined;
  value: number | null | undefined;
}

/**
 * Each account's rank (0..1) for one metric within its segment: 0 for the lowest
 * value, 1 for the highest, i / (n − 1) in between. Ties share the average of their
 * positions; an account alone in its segment (or all tied) gets 0.5. Rows without a
 * value get no rank. If an account appears twice, its last row counts.
 */
export function percentileRanks<A = string>(rows: readonly PercentileRow<A>[]): Map<A, number> {
  const latest = new Map<A, PercentileRow<A>>();
  for (const row of rows) latest.set(row.account, row);

  const bySegment = new Map<string | null, { account: A; value: number }[]>();
  for (const row of latest.values()) {
    if (!isPresent(row.value)) continue;
    const key = row.segment ?? null;
    const group = bySegment.get(key) ?? [];
    group.push({ account: row.account, value: row.value });
    bySegment.set(key, group);
  }

  const ranks = new Map<A, number>();
  for (const group of bySegment.values()) {
    group.sort((a, b) => a.value - b.value);
    const n = group.length;
    let start = 0;
    while (start < n) {
      let end = start;
      while (end + 1 < n && group[end + 1]?.value === group[start]?.value) end++;
      const position = (start + end) / 2;
      const rank = n === 1 ? 0.5 : position / (n - 1);
      for (let i = start; i <= end; i++) {
        const entry = group[i];
        if (entry !== undefined) ranks.set(entry.account, rank);
      }
      start = end + 1;
    }
  }
  return ranks;
}
