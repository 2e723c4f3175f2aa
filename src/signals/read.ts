/**
 * Reading the `signals` table for people and the API: a page of signals
 * (newest first), one account's (active, then those cleared lately), and —
 * in summary.ts — the Signals page's numbers. Each signal leaves as a
 * SignalView: its account and contact by name, its label, its evidence.
 */
import { AppError } from "../errors.js";
import { decodeCursor, encodeCursor } from "../facts/pages.js";
import { excerpt } from "../ingest/index.js";
import type { Queryable } from "../store/index.js";
import { isSignalKind, SIGNAL_LABELS, type SignalKind, type SignalSeverity } from "./kinds.js";

export { type SignalSummary, signalSummary } from "./summary.js";

/** One piece of evidence as the API gives it: a record's sentence (with the match) or numbers in words. */
export type EvidenceView = {
  entity?: string;
  id?: string;
  /** YYYY-MM-DD. */
  date?: string;
  text: string;
  /** [start, end) of the match within `text`. */
  match?: [number, number];
  values?: Record<string, number | string | null>;
};

export type SignalView = {
  id: string;
  kind: string;
  label: string;
  account: { id: string; name: string };
  contact: { id: string; name: string | null; role: string | null } | null;
  competitor: string | null;
  severity: SignalSeverity;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  active: boolean;
  cleared_at: string | null;
  summary: string;
  evidence: EvidenceView[];
};

export interface SignalQuery {
  kind?: readonly SignalKind[];
  /** true: active only; false: cleared only; undefined: both. */
  active?: boolean;
  account?: string;
  limit: number;
  cursor?: string;
}

/** How long a cleared signal stays on its account's page. */
export const RECENT_DAYS = 180;
const DAY_MS = 86_400_000;

const SELECT = `SELECT s.id, s.kind, s.account, a.name AS account_name, s.contact, c.name AS contact_name,
    c.role AS contact_role, s.competitor, s.severity, s.first_seen, s.last_seen, s.occurrences, s.active,
    s.cleared_at, s.summary, s.evidence
  FROM signals s JOIN accounts a ON a.id = s.account LEFT JOIN contacts c ON c.id = s.contact`;

type Row = {
  id: string;
  kind: string;
  account: string;
  account_name: string;
  contact: string | null;
  contact_name: string | null;
  contact_role: string | null;
  competitor: string | null;
  severity: SignalSeverity;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  active: boolean;
  cleared_at: string | null;
  summary: string;
  evidence: unknown;
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Evidence as stored, read leniently (a `sentence` is the text; a match that does not fit is dropped). */
export function evidenceOf(stored: unknown): EvidenceView[] {
  if (!Array.isArray(stored)) return [];
  const out: EvidenceView[] = [];
  for (const e of stored) {
    if (e === null || typeof e !== "object") continue;
    const r = e as Record<string, unknown>;
    const text = str(r.text) ?? str(r.sentence);
    if (text === undefined) continue;
    const v: EvidenceView = { text };
    const entity = str(r.entity);
    if (entity !== undefined) v.entity = entity;
    const id = str(r.id);
    if (id !== undefined) v.id = id;
    const date = str(r.date);
    if (date !== undefined) v.date = date.slice(0, 10);
    const m = r.match;
    if (Array.isArray(m) && m.length === 2 && m.every((x) => Number.isInteger(x))) {
      const [a, b] = m as [number, number];
      if (a >= 0 && a < b && b <= text.length) v.match = [a, b];
    }
    if (r.values && typeof r.values === "object" && !Array.isArray(r.values)) {
      const values: Record<string, number | string | null> = {};
      for (const [k, x] of Object.entries(r.values))
        if (x === null || typeof x === "number" || typeof x === "string") values[k] = x;
      v.values = values;
    }
    out.push(v);
  }
  return out;
}

function view(r: Row): SignalView {
  return {
    id: r.id,
    kind: r.kind,
    label: isSignalKind(r.kind) ? SIGNAL_LABELS[r.kind] : r.kind.replaceAll("_", " "),
    account: { id: r.account, name: r.account_name },
    contact: r.contact === null ? null : { id: r.contact, name: r.contact_name, role: r.contact_role },
    competitor: r.competitor,
    severity: r.severity,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    occurrences: r.occurrences,
    active: r.active,
    cleared_at: r.cleared_at,
    summary: r.summary,
    evidence: evidenceOf(r.evidence),
  };
}

function badCursor(): AppError {
  return new AppError("validation_failed", "cursor is not one this server gave out for this listing", {
    details: [{ field: "cursor", message: "pass the next_cursor of the previous page" }],
  });
}

/** Signals, newest first (by last seen, then id), a page at a time. */
export async function listSignals(
  q: Queryable,
  opts: SignalQuery,
): Promise<{ items: SignalView[]; next_cursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.kind?.length) {
    params.push(opts.kind);
    where.push(`s.kind = ANY($${params.length}::text[])`);
  }
  if (opts.active !== undefined) where.push(opts.active ? "s.active" : "NOT s.active");
  if (opts.account !== undefined) {
    params.push(opts.account);
    where.push(`s.account = $${params.length}`);
  }
  if (opts.cursor) {
    const [at, id] = decodeCursor(opts.cursor, "text");
    if (typeof at !== "string" || Number.isNaN(Date.parse(at))) throw badCursor();
    params.push(at, id);
    where.push(`(s.last_seen, s.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(opts.limit + 1);
  const rows = await q.query<Row>(
    `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY s.last_seen DESC, s.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    next_cursor: rows.length > opts.limit && last ? encodeCursor(last.last_seen, last.id) : null,
  };
}

const SEVERITY_RANK = `CASE s.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

/**
 * An account's signals: the active ones (most severe first, then newest) and
 * those cleared in the RECENT_DAYS before `now` (latest cleared first). A 404
 * for an account the store does not hold.
 */
export async function accountSignals(
  q: Queryable,
  id: string,
  opts: { now: Date },
): Promise<{ active: SignalView[]; recent: SignalView[] }> {
  const [found] = await q.query("SELECT 1 FROM accounts WHERE id = $1", [id]);
  if (!found) throw new AppError("not_found", `no account with id ${excerpt(id, 60)}`);
  const since = new Date(opts.now.getTime() - RECENT_DAYS * DAY_MS).toISOString();
  const rows = await q.query<Row>(
    `${SELECT} WHERE s.account = $1 AND (s.active OR s.cleared_at >= $2::timestamptz)
     ORDER BY s.active DESC, CASE WHEN s.active THEN ${SEVERITY_RANK} ELSE 0 END,
       CASE WHEN s.active THEN s.last_seen ELSE s.cleared_at END DESC, s.id DESC`,
    [id, since],
  );
  const all = rows.map(view);
  return { active: all.filter((s) => s.active), recent: all.filter((s) => !s.active) };
}
