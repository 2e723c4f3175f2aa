/**
 * Whole files (or bodies) that are bad, or that look odd but are fine: a
 * UTF-8 BOM, CRLF line ends, prototype-named CSV columns (fine); ragged
 * rows, unclosed quotes, binary garbage, empty input, a duplicated header
 * (bad). Each says what must happen. Built afresh per channel: the good
 * ones are imported, so their ids must be new each time.
 */
import type { EntityName } from "../../src/ingest/index.js";
import { setField } from "./bad-records.js";
import type { GoodRecords } from "./good-records.js";
import type { Rng } from "./prng.js";
import { type Entries, type Format, toText } from "./serialize.js";

export type FileExpectation =
  | { kind: "accept"; inserted: number }
  | { kind: "reject"; line?: number; record?: number; field?: string; headerLine?: boolean };

export interface BadFile {
  name: string;
  entity: EntityName;
  format: Format;
  bytes: Buffer;
  expect: FileExpectation;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

/** Tickets without newlines in their text, so a row is one line. */
function flat(good: GoodRecords, n: number): Entries[] {
  return good
    .many("tickets", n)
    .map((r) =>
      r.map(([k, v]) => [k, typeof v === "string" ? v.replace(/[\r\n]/g, " ") : v] as [string, unknown]),
    );
}

const CSV_HEADER = "id,account,opened_at,status,priority";

function csvRows(good: GoodRecords, n: number): string[] {
  return Array.from({ length: n }, () => {
    const id = good.nextId("tickets");
    return `${id},acc_1,2025-07-0${1 + (id.length % 9)}T10:00:00Z,open,high`;
  });
}

export function badFiles(rng: Rng, good: GoodRecords): BadFile[] {
  const out: BadFile[] = [];
  const add = (
    name: string,
    format: Format,
    bytes: Buffer,
    expect: FileExpectation,
    entity: EntityName = "tickets",
  ) => out.push({ name, entity, format, bytes, expect });
  const accept = (n: number): FileExpectation => ({ kind: "accept", inserted: n });

  // Fine: a BOM and CRLF line ends in every format.
  for (const format of ["csv", "ndjson", "json", "records"] as const) {
    const recs = flat(good, 4);
    add(
      `${format} with a BOM and CRLF`,
      format,
      utf8(toText(recs, format, { bom: true, crlf: true }).text),
      accept(4),
    );
  }
  {
    const recs = flat(good, 5);
    recs[3] = setField(recs[3]!, "status", "lost");
    const t = toText(recs, "csv", { bom: true, crlf: true });
    add("CSV with a BOM and CRLF, a bad row", "csv", utf8(t.text), {
      kind: "reject",
      line: t.lines![3]![0],
      record: 3,
      field: "status",
    });
    const n = toText(recs, "ndjson", { bom: true, crlf: true });
    add("NDJSON with a BOM and CRLF, a bad line", "ndjson", utf8(n.text), {
      kind: "reject",
      line: 4,
      record: 3,
      field: "status",
    });
  }
  // Fine: columns named like Object's own properties are unknown columns, ignored.
  {
    const recs = flat(good, 3);
    const cols = ["constructor", "toString", "__proto__"];
    const t = toText(recs, "csv", { extraColumns: cols });
    // The three extra columns are the last cells of every row: give them values.
    const withValues = t.text
      .split("\n")
      .map((line, i) => (i === 0 || line === "" ? line : line.replace(/,,,$/, ",x,y,z")))
      .join("\n");
    add("CSV with constructor, toString and __proto__ columns", "csv", utf8(withValues), accept(3));
    const bad = flat(good, 3);
    bad[1] = setField(bad[1]!, "opened_at", "2025-02-30T00:00:00Z");
    const b = toText(bad, "csv", { extraColumns: cols });
    add("CSV with prototype-named columns, a bad row", "csv", utf8(b.text), {
      kind: "reject",
      line: b.lines![1]![0],
      record: 1,
      field: "opened_at",
    });
  }
  // Ragged rows, unclosed and stray quotes.
  const rows = csvRows(good, 4);
  add(
    "CSV with a short row",
    "csv",
    utf8([CSV_HEADER, rows[0], "t_short,acc_1,2025-07-01T10:00:00Z", rows[1]].join("\n")),
    { kind: "reject", line: 3, field: "" },
  );
  add("CSV with a long row", "csv", utf8([CSV_HEADER, rows[2], `${rows[3]},extra,cells`].join("\n")), {
    kind: "reject",
    line: 3,
    field: "",
  });
  add(
    "CSV with an unclosed quote",
    "csv",
    utf8([CSV_HEADER, csvRows(good, 1)[0], 't_q,"acc_1,2025-07-01T10:00:00Z,open,high'].join("\n")),
    { kind: "reject", field: "" },
  );
  add(
    "CSV with an unclosed quote mid-file",
    "csv",
    utf8([CSV_HEADER, 't_q2,"acc_1,2025-07-01T10:00:00Z,open,high', ...csvRows(good, 3)].join("\n")),
    { kind: "reject", field: "" },
  );
  add(
    "CSV with a stray quote",
    "csv",
    utf8([CSV_HEADER, 't_s,ac"c_1,2025-07-01T10:00:00Z,open,high'].join("\n")),
    { kind: "reject", field: "" },
  );
  // Duplicated headers.
  add(
    "CSV with a duplicated header",
    "csv",
    utf8(["id,account,opened_at,status,id", "t_d,acc_1,2025-07-01T10:00:00Z,open,t_e"].join("\n")),
    { kind: "reject", headerLine: true },
  );
  add(
    "CSV with a header duplicated after trimming",
    "csv",
    utf8(["id,account,opened_at,status, status", "t_d2,acc_1,2025-07-01T10:00:00Z,open,solved"].join("\n")),
    { kind: "reject", headerLine: true },
  );
  add("CSV whose header names no field", "csv", utf8("foo,bar\n1,2\n"), { kind: "reject" });
  // Binary garbage.
  add("binary garbage as CSV", "csv", rng.bytes(4096), { kind: "reject" });
  add("binary garbage as NDJSON", "ndjson", rng.bytes(4096), { kind: "reject" });
  add("binary garbage as JSON", "json", rng.bytes(4096), { kind: "reject" });
  add(
    "a gzip file named .csv",
    "csv",
    Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), rng.bytes(2000)]),
    { kind: "reject" },
  );
  add(
    "a PNG named .ndjson",
    "ndjson",
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), rng.bytes(2000)]),
    { kind: "reject" },
  );
  add("NUL bytes as NDJSON", "ndjson", Buffer.alloc(1024), { kind: "reject" });
  add("NUL bytes as CSV", "csv", Buffer.alloc(1024), { kind: "reject" });
  // Empty input.
  for (const format of ["csv", "ndjson", "json"] as const) {
    add(`an empty ${format} file`, format, Buffer.alloc(0), { kind: "reject" });
    add(`a ${format} file with only a BOM`, format, utf8("\uFEFF"), { kind: "reject" });
    add(`a ${format} file of blank lines`, format, utf8("\n \r\n\t\n"), { kind: "reject" });
  }
  add("a CSV file with only a header", "csv", utf8(`${CSV_HEADER}\n`), { kind: "reject" });
  add("an empty JSON array", "json", utf8("[]"), { kind: "reject" });
  add('an empty {"records": []}', "json", utf8('{"records":[]}'), { kind: "reject" });
  // JSON that is not a list of records.
  add("a JSON object that is one record", "json", utf8(JSON.stringify({ id: "t_o", account: "acc_1" })), {
    kind: "reject",
    record: 0,
    field: "",
  });
  add("truncated JSON", "json", utf8('[{"id":"t_t","account":'), { kind: "reject", record: 0, field: "" });
  add("JSON with trailing garbage", "json", utf8('[{"id":"t_g"}] garbage'), {
    kind: "reject",
    record: 0,
    field: "",
  });
  add("an NDJSON line that is a list", "ndjson", utf8(`${toText(flat(good, 1), "ndjson").text}[1,2]\n`), {
    kind: "reject",
    line: 2,
    record: 1,
    field: "",
  });
  add(
    "an NDJSON line that is malformed",
    "ndjson",
    utf8(`${toText(flat(good, 2), "ndjson").text}{"id": oops}\n`),
    { kind: "reject", line: 3, record: 2, field: "" },
  );
  add("a JSON document of prototype keys", "json", utf8('{"__proto__":{"records":[{"id":"x"}]}}'), {
    kind: "reject",
  });
  return out;
}
