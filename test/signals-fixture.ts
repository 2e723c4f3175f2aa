/**
 * Small hand-built facts for the detector tests, as of T = 2025-06-01T00:00Z:
 * facts go in through the real ingest path; text findings are written
 * straight into text_findings (what text analysis would have found).
 */
import type { Db } from "../src/store/index.js";
import { importAll } from "./metrics-fixture.js";

export const T = "2025-06-01T00:00:00.000Z";
const DAY = 86_400_000;

/** T minus `n` days (fractions allowed), as an ISO instant. */
export const ago = (n: number): string => new Date(Date.parse(T) - n * DAY).toISOString();
/** T plus `n` days. */
export const hence = (n: number): string => new Date(Date.parse(T) + n * DAY).toISOString();
/** The UTC day `n` days before T. */
export const dayBefore = (n: number): string => ago(n).slice(0, 10);

export type Finding = {
  entity: "tickets" | "notes" | "surveys" | "opportunities";
  record_id: string;
  account: string;
  contact?: string | null;
  at: string;
  kind: string;
  competitor?: string | null;
  sentence: string;
  /** The matched words: their offsets are found in the sentence. */
  match: string;
};

/** Writes text findings as ingest would have. */
export async function addFindings(db: Db, list: readonly Finding[]): Promise<void> {
  for (const f of list) {
    const start = f.sentence.indexOf(f.match);
    if (start < 0) throw new Error(`"${f.match}" is not in "${f.sentence}"`);
    await db.query(
      `INSERT INTO text_findings (entity, record_id, account, contact, at, kind, competitor, sentence, match_start, match_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        f.entity,
        f.record_id,
        f.account,
        f.contact ?? null,
        f.at,
        f.kind,
        f.competitor ?? null,
        f.sentence,
        start,
        start + f.match.length,
      ],
    );
  }
}

export async function addCompetitors(
  db: Db,
  list: readonly { name: string; aliases: string[] }[],
): Promise<void> {
  for (const c of list) {
    await db.query("INSERT INTO competitors (name, aliases) VALUES ($1, $2)", [c.name, c.aliases]);
  }
}

export function accounts(ids: readonly string[], segment?: string): Record<string, unknown>[] {
  return ids.map((id) => ({ id, name: `Account ${id}`, ...(segment ? { segment } : {}) }));
}

export const meeting = (id: string, account: string, at: string, attendees: string[], status = "held") => ({
  id,
  account,
  kind: "check_in",
  scheduled_at: at,
  status,
  attendees,
});

export const note = (id: string, account: string, contact: string, at: string, direction = "inbound") => ({
  id,
  account,
  contact,
  ts: at,
  channel: "email",
  direction,
  text: "Thanks for the update.",
});

export const use = (id: string, account: string, user: string, at: string) => ({
  id,
  account,
  user,
  ts: at,
  name: "dashboards.view",
});

export { importAll };

type Records = Parameters<typeof importAll>[1];

/**
 * Imports facts through the real ingest path, then drops whatever text
 * analysis found in them: each test writes the findings it means.
 */
export async function load(db: Db, records: Records): Promise<void> {
  await importAll(db, records);
  await db.query("DELETE FROM text_findings");
}
