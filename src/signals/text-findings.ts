import type { BulkRows, Db, Queryable } from "../store/index.js";
import { listCompetitors } from "./competitors.js";
import { type Competitor, matcherFor, type PlacedFinding, placedFindings } from "./text/index.js";
import {
  isTextEntity,
  TEXT_ENTITIES,
  TEXT_SOURCES,
  type TextEntity,
  type TextRecord,
  textRecordsOf,
} from "./text-records.js";

export {
  isTextEntity,
  TEXT_ENTITIES,
  type TextEntity,
  type TextRecord,
  textRecordsOf,
} from "./text-records.js";

const COLUMNS = [
  "entity",
  "record_id",
  "account",
  "contact",
  "at",
  "kind",
  "competitor",
  "sentence",
  "match_start",
  "match_end",
] as const;

/** A record's findings, one per (kind, competitor): the first in its text. */
function findingsOf(r: TextRecord, competitors: readonly Competitor[]): PlacedFinding[] {
  const text = r.texts.filter((t): t is string => typeof t === "string" && t.trim() !== "").join("\n");
  if (!text) return [];
  const seen = new Set<string>();
  const used = new Set<string>();
  const out: PlacedFinding[] = [];
  for (const f of placedFindings(text, matcherFor(competitors))) {
    const key = `${f.kind}|${f.competitor ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const placed = apart(f, text, used);
    used.add(`${placed.kind}|${placed.match_start}`);
    out.push(placed);
  }
  return out;
}

/**
 * A record keeps one finding of a kind per place in its sentence (the
 * store's key): when two sentences have a finding of one kind at the same
 * offset ("Northwind is fine. Contoso is not."), the later one's sentence
 * starts earlier in the text, so its offsets differ and still point at it.
 */
function apart(f: PlacedFinding, text: string, used: ReadonlySet<string>): PlacedFinding {
  let g = f;
  while (used.has(`${g.kind}|${g.match_start}`) && g.offset > 0) {
    const from = Math.max(0, text.lastIndexOf(" ", g.offset - 2) + 1);
    const shift = g.offset - from || 1;
    const start = g.offset - shift;
    g = {
      ...g,
      sentence: text.slice(start, g.offset) + g.sentence,
      match_start: g.match_start + shift,
      match_end: g.match_end + shift,
      offset: start,
    };
  }
  return g;
}

/**
 * Writes what text analysis finds in `records` of `entity`, in `tx` (the
 * import's transaction, so findings commit or roll back with the records):
 * each record's findings replace those stored for it, so re-sending a record
 * never duplicates them. `competitors` is read from the store when not given
 * (an import reads it once and passes it to each batch); `fresh`: every
 * record was just inserted (nothing stored to replace). Returns the number
 * of findings written.
 */
export async function writeTextFindings(
  tx: Queryable,
  entity: TextEntity,
  records: Iterable<TextRecord>,
  competitors?: readonly Competitor[],
  opts: { fresh?: boolean } = {},
): Promise<number> {
  const list = competitors ?? (await listCompetitors(tx));
  const ids: string[] = [];
  const rows: (string | null)[][] = [];
  for (const r of records) {
    ids.push(r.id);
    for (const f of findingsOf(r, list))
      rows.push([
        entity,
        r.id,
        r.account,
        r.contact,
        r.at,
        f.kind,
        f.competitor,
        f.sentence,
        String(f.match_start),
        String(f.match_end),
      ]);
  }
  if (ids.length === 0) return 0;
  // Records just inserted have no findings yet: nothing to replace.
  if (!opts.fresh)
    await tx.query("DELETE FROM text_findings WHERE entity = $1 AND record_id = ANY($2::text[])", [
      entity,
      ids,
    ]);
  if (rows.length === 0) return 0;
  await tx.withRows(
    COLUMNS,
    rows,
    (src) => `INSERT INTO text_findings (${COLUMNS.join(", ")})
      SELECT src.entity, src.record_id, src.account, src.contact, coalesce(src.at::timestamptz, now()),
             src.kind, src.competitor, src.sentence, src.match_start::int, src.match_end::int
      FROM ${src}
      ON CONFLICT DO NOTHING`,
  );
  return rows.length;
}

export interface RedetectSummary {
  records: number;
  findings: number;
}

/**
 * Reads the stored text again (after the competitors change): every
 * ticket, note, survey comment and lost deal, a batch at a time in its own
 * transaction (each record's findings are replaced whole, never
 * half-written), and drops findings whose record is gone.
 */
export async function redetectText(db: Db, opts: { batch?: number } = {}): Promise<RedetectSummary> {
  const batch = opts.batch ?? 5000;
  const competitors = await listCompetitors(db);
  const summary: RedetectSummary = { records: 0, findings: 0 };
  for (const entity of TEXT_ENTITIES) {
    const src = TEXT_SOURCES[entity];
    const at =
      entity === "opportunities" ? "coalesce(close_date::timestamptz, ingested_at)::text" : `${src.at}::text`;
    const select = `SELECT id, account, ${src.contact ?? "NULL::text"} AS contact, ${at} AS at,
      ARRAY[${src.texts.join(", ")}] AS texts
      FROM ${entity} WHERE id > $1 ORDER BY id LIMIT $2 FOR SHARE`;
    let after = "";
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const rows = await tx.query<TextRecord>(select, [after, batch]);
        if (rows.length === 0) return 0;
        summary.findings += await writeTextFindings(tx, entity, rows, competitors);
        after = rows[rows.length - 1]!.id;
        return rows.length;
      });
      summary.records += n;
      if (n < batch) break;
    }
    await db.query(
      `DELETE FROM text_findings f WHERE f.entity = $1 AND NOT EXISTS (SELECT 1 FROM ${entity} r WHERE r.id = f.record_id)`,
      [entity],
    );
  }
  return summary;
}

/**
 * The ingest hook: for an entity with text, a function that writes the
 * findings of a batch's rows (cells or COPY text, in `columns`) in the
 * import's transaction, the competitors read once, here (`fresh`: the
 * batch's records were all inserted); undefined for other entities.
 */
export async function textFindingsWriter(
  tx: Queryable,
  entity: string,
  columns: readonly string[],
): Promise<((rows: BulkRows, fresh: boolean) => Promise<number>) | undefined> {
  if (!isTextEntity(entity)) return undefined;
  const competitors = await listCompetitors(tx);
  return (rows, fresh) =>
    writeTextFindings(tx, entity, textRecordsOf(entity, columns, rows), competitors, { fresh });
}
