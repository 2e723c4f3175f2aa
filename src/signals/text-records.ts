import type { BulkRows, Cell } from "../store/index.js";

/** The entities whose text is read for signals. */
export const TEXT_ENTITIES = ["tickets", "notes", "surveys", "opportunities"] as const;
export type TextEntity = (typeof TEXT_ENTITIES)[number];

export function isTextEntity(name: string): name is TextEntity {
  return (TEXT_ENTITIES as readonly string[]).includes(name);
}

/** Where each entity keeps its text, its person and its date. */
export const TEXT_SOURCES: Readonly<
  Record<TextEntity, { contact: string | null; at: string; texts: readonly string[] }>
> = {
  tickets: { contact: "contact", at: "opened_at", texts: ["subject", "body"] },
  notes: { contact: "contact", at: "ts", texts: ["text"] },
  surveys: { contact: "contact", at: "ts", texts: ["comment"] },
  // A deal's text is why it was lost; it dates from its close date (or now, when it has none).
  opportunities: { contact: null, at: "close_date", texts: ["lost_reason"] },
};

/** A record's text as text analysis reads it. */
export type TextRecord = {
  id: string;
  account: string;
  contact: string | null;
  /** When it was written (ISO date or time); null: now. */
  at: string | null;
  /** Its texts (a ticket's subject and body), read as one text, a line apart. */
  texts: readonly (string | null)[];
};

/** The records of a batch's rows (cells, or COPY text from the import worker), by the entity's columns. */
export function* textRecordsOf(
  entity: TextEntity,
  columns: readonly string[],
  rows: BulkRows,
): Generator<TextRecord> {
  const src = TEXT_SOURCES[entity];
  const at = (c: string) => {
    const i = columns.indexOf(c);
    if (i < 0) throw new Error(`${entity} rows have no ${c} column`);
    return i;
  };
  const id = at("id");
  const account = at("account");
  const contact = src.contact ? at(src.contact) : -1;
  const when = at(src.at);
  const texts = src.texts.map(at);
  for (const r of "copy" in rows ? copyRows(rows.copy) : rows)
    yield {
      id: r[id] ?? "",
      account: r[account] ?? "",
      contact: contact < 0 ? null : (r[contact] ?? null),
      at: r[when] ?? null,
      texts: texts.map((i) => r[i] ?? null),
    };
}

/** Rows back from COPY text (tab-separated, \N for null, backslash escapes). */
export function* copyRows(chunks: readonly string[]): Generator<Cell[]> {
  for (const chunk of chunks)
    for (const line of chunk.split("\n")) {
      if (line === "") continue;
      yield line.split("\t").map(uncopy);
    }
}

const ESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

function uncopy(v: string): Cell {
  if (v === "\\N") return null;
  if (!v.includes("\\")) return v;
  return v.replace(/\\(.)/g, (_m, c: string) => ESCAPES[c] ?? c);
}
