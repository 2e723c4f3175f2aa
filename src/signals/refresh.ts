/**
 * The `signals` table's life: detect every signal as of `now` and write them
 * by key (kind|account|contact-or-competitor), in one transaction.
 *
 * - A new signal: first_seen = last_seen = detected_at = now.
 * - One still present: last_seen = now; severity, evidence, summary and
 *   occurrences refreshed (occurrences never goes down while it stays active).
 * - One no longer detected: active false, cleared_at now (kept, so its
 *   history stays readable).
 * - One seen again after clearing: active again, first_seen kept,
 *   cleared_at cleared, detected_at now, its new occurrences added to the old.
 *
 * Each newly active signal (new, or back after clearing) writes a
 * `signal.detected` notify_events row (subject: the signal's id) in the same
 * transaction. Re-running with nothing changed announces nothing.
 */
import { newId } from "../auth/tokens.js";
import type { Db, Queryable } from "../store/index.js";
import type { Detected } from "./detect/shared.js";
import { detectSignals } from "./detect.js";
import { SIGNAL_LABELS } from "./kinds.js";
import { signalKey } from "./types.js";

export interface RefreshResult {
  /** Signals detected now. */
  detected: number;
  /** Newly active: new, or back after clearing (each announced). */
  opened: number;
  /** Active before, not detected now. */
  cleared: number;
}

const COLUMNS = [
  "id",
  "key",
  "account",
  "contact",
  "competitor",
  "kind",
  "label",
  "severity",
  "occurrences",
  "evidence",
  "summary",
  "first_evidence_at",
  "last_evidence_at",
] as const;

/** Detects as of `now` and writes the `signals` table (all accounts, or the ones given). */
export async function refreshSignals(
  db: Db,
  opts: { now: Date; accounts?: readonly string[] },
): Promise<RefreshResult> {
  // Detection reads only (through the pool, the detectors side by side); the writes are one transaction.
  const all = await detectSignals(db, { asOf: opts.now.toISOString(), accounts: opts.accounts });
  // One row per key (detectors give one each; a duplicate would fail the upsert).
  const detected = [...new Map(all.map((d) => [signalKey(d), d] as const)).values()];
  return db.transaction(async (tx) => {
    const opened = await upsert(tx, detected, opts.now);
    const cleared = await clear(
      tx,
      detected.map((d) => signalKey(d)),
      opts.now,
      opts.accounts,
    );
    return { detected: detected.length, opened, cleared };
  });
}

async function upsert(tx: Queryable, detected: readonly Detected[], now: Date): Promise<number> {
  if (detected.length === 0) return 0;
  const at = now.toISOString();
  const rows = detected.map((d) => [
    newId("sig"),
    signalKey(d),
    d.account,
    d.contact,
    d.competitor,
    d.kind,
    SIGNAL_LABELS[d.kind],
    d.severity,
    String(d.occurrences),
    JSON.stringify(d.evidence),
    d.summary,
    d.first_evidence_at,
    d.last_evidence_at,
  ]);
  const [r] = await tx.withRows<{ opened: number }>(COLUMNS, rows, (src) => {
    const now = `'${at}'::timestamptz`;
    return `WITH src AS (SELECT * FROM ${src}),
       was AS (SELECT s.key, s.active FROM signals s JOIN src ON src.key = s.key),
       up AS (
         INSERT INTO signals AS s (id, key, account, contact, competitor, kind, severity, first_seen, last_seen,
                                   occurrences, active, cleared_at, evidence, summary, first_evidence_at,
                                   last_evidence_at, detected_at)
         SELECT id, key, account, contact, competitor, kind, severity, ${now}, ${now},
                occurrences::int, true, NULL, evidence::jsonb, summary, first_evidence_at::timestamptz,
                last_evidence_at::timestamptz, ${now}
         FROM src
         ON CONFLICT (key) DO UPDATE SET
           severity = EXCLUDED.severity,
           last_seen = EXCLUDED.last_seen,
           occurrences = CASE WHEN s.active THEN greatest(s.occurrences, EXCLUDED.occurrences)
                              ELSE s.occurrences + EXCLUDED.occurrences END,
           active = true,
           cleared_at = NULL,
           evidence = EXCLUDED.evidence,
           summary = EXCLUDED.summary,
           first_evidence_at = least(s.first_evidence_at, EXCLUDED.first_evidence_at),
           last_evidence_at = EXCLUDED.last_evidence_at,
           detected_at = CASE WHEN s.active THEN s.detected_at ELSE EXCLUDED.detected_at END
         RETURNING s.id, s.key, s.account, s.kind, s.severity, s.summary
       ),
       fresh AS (
         SELECT up.*, src.label FROM up JOIN src ON src.key = up.key
         WHERE NOT EXISTS (SELECT 1 FROM was WHERE was.key = up.key AND was.active)
       ),
       announced AS (
         INSERT INTO notify_events (type, at, account, subject, detail)
         SELECT 'signal.detected', ${now}, account, id,
                jsonb_build_object('severity', severity, 'kind', kind, 'label', label, 'reason', summary)
         FROM fresh
         RETURNING 1
       )
       SELECT count(*)::int AS opened FROM announced`;
  });
  return r?.opened ?? 0;
}

async function clear(
  tx: Queryable,
  keys: readonly string[],
  now: Date,
  accounts: readonly string[] | undefined,
): Promise<number> {
  const params: unknown[] = [now.toISOString(), [...keys]];
  const scope = accounts === undefined ? "TRUE" : `account = ANY($${params.push([...accounts])}::text[])`;
  const rows = await tx.query<{ id: string }>(
    `UPDATE signals SET active = false, cleared_at = $1::timestamptz
     WHERE active AND NOT (key = ANY($2::text[])) AND ${scope}
     RETURNING id`,
    params,
  );
  return rows.length;
}
