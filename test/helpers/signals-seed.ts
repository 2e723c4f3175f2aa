import type { SignalKind, SignalSeverity } from "../../src/signals/kinds.js";
import { signalKey } from "../../src/signals/types.js";
import type { Queryable } from "../../src/store/index.js";

export const DAY = 86_400_000;

/** A signal row written straight into the `signals` table (what refreshSignals keeps). */
export type SeedSignal = {
  id: string;
  kind: SignalKind;
  account: string;
  contact?: string | null;
  competitor?: string | null;
  severity: SignalSeverity;
  first_seen: Date;
  last_seen: Date;
  occurrences?: number;
  cleared_at?: Date | null;
  summary: string;
  evidence: unknown[];
};

export async function seedSignals(
  db: Queryable,
  signals: readonly SeedSignal[],
  detectedAt: Date,
): Promise<void> {
  for (const s of signals) {
    const contact = s.contact ?? null;
    const competitor = s.competitor ?? null;
    await db.query(
      `INSERT INTO signals (id, key, account, contact, competitor, kind, severity, first_seen, last_seen,
         occurrences, active, cleared_at, evidence, summary, detected_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15)`,
      [
        s.id,
        signalKey({ kind: s.kind, account: s.account, contact, competitor }),
        s.account,
        contact,
        competitor,
        s.kind,
        s.severity,
        s.first_seen.toISOString(),
        s.last_seen.toISOString(),
        s.occurrences ?? 1,
        !s.cleared_at,
        s.cleared_at ? s.cleared_at.toISOString() : null,
        JSON.stringify(s.evidence),
        s.summary,
        detectedAt.toISOString(),
      ],
    );
  }
}

/** A text finding written straight into `text_findings` (what text analysis writes at ingest). */
export type SeedFinding = {
  entity: "tickets" | "notes" | "surveys" | "opportunities";
  record_id: string;
  account: string;
  contact?: string | null;
  at: Date;
  kind: string;
  competitor?: string | null;
  sentence: string;
  /** The phrase matched: its first occurrence in `sentence`. */
  phrase: string;
};

export async function seedFindings(db: Queryable, findings: readonly SeedFinding[]): Promise<void> {
  for (const f of findings) {
    const start = f.sentence.indexOf(f.phrase);
    if (start < 0) throw new Error(`"${f.phrase}" is not in "${f.sentence}"`);
    await db.query(
      `INSERT INTO text_findings (entity, record_id, account, contact, at, kind, competitor, sentence, match_start, match_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        f.entity,
        f.record_id,
        f.account,
        f.contact ?? null,
        f.at.toISOString(),
        f.kind,
        f.competitor ?? null,
        f.sentence,
        start,
        start + f.phrase.length,
      ],
    );
  }
}

/** Evidence for a sentence, with `phrase` highlighted (its first occurrence). */
export function sentenceEvidence(
  entity: string,
  id: string,
  date: string,
  text: string,
  phrase: string,
): { entity: string; id: string; date: string; text: string; match: [number, number] } {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`"${phrase}" is not in "${text}"`);
  return { entity, id, date, text, match: [start, start + phrase.length] };
}
