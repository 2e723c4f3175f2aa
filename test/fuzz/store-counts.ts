/** Row counts of every table bad input must leave alone, in one round trip. */
import { openPglite, type Queryable } from "../../src/store/index.js";
import { COUNTED_TABLES } from "./contract.js";

export type Counts = Record<string, number>;

const SQL = `SELECT ${COUNTED_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(", ")}`;

export async function rowCounts(db: Queryable): Promise<Counts> {
  const [row] = await db.query<Counts>(SQL);
  return { ...row! };
}

export function sameCounts(a: Counts, b: Counts): boolean {
  return COUNTED_TABLES.every((t) => a[t] === b[t]);
}

/** The tables whose counts differ, as "table: before → after". */
export function countDiff(a: Counts, b: Counts): string {
  return COUNTED_TABLES.filter((t) => a[t] !== b[t])
    .map((t) => `${t}: ${a[t]} → ${b[t]}`)
    .join(", ");
}

/** Counts of a PGlite data folder no process holds (opened, counted, closed). */
export async function folderCounts(dataDir: string): Promise<Counts> {
  const db = await openPglite({ dataDir });
  try {
    return await rowCounts(db);
  } finally {
    await db.close();
  }
}
