import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ENTITIES, ImportRejected, type Item, importRecords } from "../src/ingest/index.js";
import { importInWorker } from "../src/ingest/parallel.js";
import { setCompetitors } from "../src/signals/competitors.js";
import { type LabelledSet, scoreLabelled } from "../src/signals/text/index.js";
import { redetectText } from "../src/signals/text-findings.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

const labelled = JSON.parse(
  readFileSync(join(import.meta.dirname, "data", "signal-sentences.json"), "utf8"),
) as LabelledSet;

describe("text detectors on the hand-labelled sentences", () => {
  it("reach 0.85 precision and 0.75 recall for every kind", () => {
    expect(labelled.sentences.length).toBeGreaterThanOrEqual(150);
    const { kinds, misses } = scoreLabelled(labelled);
    const line = (k: (typeof kinds)[number]) =>
      `${k.kind.padEnd(24)} precision ${k.precision.toFixed(3)}  recall ${k.recall.toFixed(3)}  (tp ${k.tp}, fp ${k.fp}, fn ${k.fn})`;
    console.log(`${labelled.sentences.length} labelled sentences\n${kinds.map(line).join("\n")}`);
    if (misses.length)
      console.log(misses.map((m) => `  ${m.wrong} ${m.kind} ${m.competitor}: ${m.text}`).join("\n"));
    for (const k of kinds) {
      expect(k.tp + k.fn, `${k.kind} has labelled examples`).toBeGreaterThan(10);
      expect(k.precision, k.kind).toBeGreaterThanOrEqual(0.85);
      expect(k.recall, k.kind).toBeGreaterThanOrEqual(0.75);
    }
  });
});

type Finding = {
  entity: string;
  record_id: string;
  account: string;
  contact: string | null;
  at: string;
  kind: string;
  competitor: string | null;
  sentence: string;
  match_start: number;
  match_end: number;
};

describe(`text findings at ingest and after the competitors change (${storeName})`, () => {
  let db: Db;
  const actor = { type: "system" as const, id: null, label: "tests" };
  const items = (values: Record<string, unknown>[]): Item[] =>
    values.map((value, record) => ({ record, value }));
  const findings = (where = "true") =>
    db.query<Finding>(
      `SELECT entity, record_id, account, contact, at, kind, competitor, sentence, match_start, match_end
       FROM text_findings WHERE ${where} ORDER BY entity, record_id, kind, match_start`,
    );
  const highlighted = (f: Finding) => f.sentence.slice(f.match_start, f.match_end);
  const competitors = (list: { name: string; aliases: string[] }[]) =>
    db.transaction((tx) => setCompetitors(tx, list, actor));

  beforeAll(async () => {
    db = await testDb();
    await importRecords(db, ENTITIES.accounts, [
      items([
        { id: "acc_1", name: "One" },
        { id: "acc_2", name: "Two" },
      ]),
    ]);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    for (const t of ["text_findings", "tickets", "notes", "surveys", "opportunities"])
      await db.exec(`DELETE FROM ${t}`);
    await competitors([{ name: "Northwind Analytics", aliases: ["Northwind"] }]);
  });

  it("writes each record's findings with its account, person, date, sentence and exact match", async () => {
    await importRecords(db, ENTITIES.tickets, [
      items([
        {
          id: "t1",
          account: "acc_1",
          contact: "c_1",
          opened_at: "2025-03-01T10:00:00Z",
          status: "open",
          subject: "Exports",
          body: "Hi,\nwe are evaluating Northwind for next year. Thanks",
        },
        { id: "t2", account: "acc_2", opened_at: "2025-03-02T10:00:00Z", status: "open", body: "All good." },
      ]),
    ]);
    await importRecords(db, ENTITIES.notes, [
      items([
        {
          id: "n1",
          account: "acc_2",
          ts: "2025-03-05T09:00:00Z",
          channel: "email",
          text: "Priya Shah is no longer with the company.",
        },
      ]),
    ]);
    await importRecords(db, ENTITIES.surveys, [
      items([
        {
          id: "s1",
          account: "acc_1",
          ts: "2025-03-06T00:00:00Z",
          kind: "nps",
          score: 3,
          comment: "northwind does this out of the box",
        },
      ]),
    ]);
    await importRecords(db, ENTITIES.opportunities, [
      items([
        {
          id: "o1",
          account: "acc_1",
          kind: "renewal",
          status: "lost",
          close_date: "2025-04-30",
          lost_reason: "Lost to Northwind on price.",
        },
      ]),
    ]);
    const all = await findings();
    expect(all.map((f) => [f.entity, f.record_id, f.kind, f.competitor, highlighted(f)])).toEqual([
      ["notes", "n1", "departure", null, "Priya Shah is no longer with"],
      ["opportunities", "o1", "competitor_mention", "Northwind Analytics", "Northwind"],
      ["surveys", "s1", "competitor_mention", "Northwind Analytics", "northwind"],
      [
        "surveys",
        "s1",
        "feature_parity_request",
        "Northwind Analytics",
        "northwind does this out of the box",
      ],
      ["tickets", "t1", "competitor_mention", "Northwind Analytics", "Northwind"],
      ["tickets", "t1", "evaluating_alternatives", "Northwind Analytics", "evaluating Northwind"],
    ]);
    const t1 = all.find((f) => f.record_id === "t1")!;
    expect(t1).toMatchObject({
      account: "acc_1",
      contact: "c_1",
      sentence: "we are evaluating Northwind for next year.",
    });
    expect(new Date(t1.at).toISOString()).toBe("2025-03-01T10:00:00.000Z");
    expect(new Date(all.find((f) => f.record_id === "o1")!.at).toISOString()).toBe(
      "2025-04-30T00:00:00.000Z",
    );
  });

  it("writes nothing when the import fails: the findings roll back with the records", async () => {
    const good = Array.from({ length: 5 }, (_, i) => ({
      id: `t${i}`,
      account: "acc_1",
      opened_at: "2025-03-01T10:00:00Z",
      status: "open",
      body: "We are evaluating Northwind.",
    }));
    // Batches of one: the good records are written (and their findings) before the bad one is read.
    const bad = { id: "t9", account: "acc_1", opened_at: "not a date", status: "open" };
    await expect(
      importRecords(db, ENTITIES.tickets, [items([...good, bad])], { batchSize: 1 }),
    ).rejects.toThrow(ImportRejected);
    expect(await findings()).toEqual([]);
    expect(await db.query("SELECT id FROM tickets")).toEqual([]);
  });

  it("re-sending a record replaces its findings, never duplicates them", async () => {
    const note = {
      id: "n1",
      account: "acc_1",
      ts: "2025-03-05T09:00:00Z",
      channel: "call",
      text: "They are trialling Northwind.",
    };
    await importRecords(db, ENTITIES.notes, [items([note])]);
    await importRecords(db, ENTITIES.notes, [items([note])]);
    expect((await findings()).map((f) => f.kind)).toEqual(["competitor_mention", "evaluating_alternatives"]);
    await importRecords(db, ENTITIES.notes, [
      items([{ ...note, text: "Budget freeze: all renewals need CFO approval." }]),
    ]);
    expect((await findings()).map((f) => [f.kind, highlighted(f)])).toEqual([
      ["procurement_pushback", "Budget freeze"],
    ]);
    await importRecords(db, ENTITIES.notes, [items([{ ...note, text: null }])]);
    expect(await findings()).toEqual([]);
  });

  it("keeps two findings of one kind at the same place in different sentences apart", async () => {
    await competitors([
      { name: "Northwind Analytics", aliases: ["Northwind"] },
      { name: "Contoso", aliases: [] },
    ]);
    await importRecords(db, ENTITIES.tickets, [
      items([
        {
          id: "t1",
          account: "acc_1",
          opened_at: "2025-03-01T10:00:00Z",
          status: "open",
          body: "Northwind is fine.\nContoso is not.",
        },
      ]),
    ]);
    const all = await findings();
    expect(all.map((f) => [f.competitor, highlighted(f)])).toEqual([
      ["Northwind Analytics", "Northwind"],
      ["Contoso", "Contoso"],
    ]);
  });

  it("reads stored text again after the competitors change: new names found, removed ones dropped", async () => {
    await importRecords(db, ENTITIES.tickets, [
      items([
        {
          id: "t1",
          account: "acc_1",
          opened_at: "2025-03-01T10:00:00Z",
          status: "open",
          body: "Contoso already has SSO.",
        },
        {
          id: "t2",
          account: "acc_2",
          opened_at: "2025-03-01T10:00:00Z",
          status: "open",
          body: "Northwind called us.",
        },
      ]),
    ]);
    expect((await findings()).map((f) => [f.record_id, f.competitor])).toEqual([
      ["t2", "Northwind Analytics"],
    ]);
    await competitors([{ name: "Contoso", aliases: ["Contoso CRM"] }]);
    const r = await redetectText(db, { batch: 1 });
    expect(r.records).toBe(2);
    expect((await findings()).map((f) => [f.record_id, f.kind, f.competitor, highlighted(f)])).toEqual([
      ["t1", "competitor_mention", "Contoso", "Contoso"],
      ["t1", "feature_parity_request", "Contoso", "Contoso already has"],
    ]);
  });

  it("finds text in imports parsed by the import worker (COPY text) too", async () => {
    const lines = [
      {
        id: "n1",
        account: "acc_1",
        ts: "2025-03-05T09:00:00Z",
        channel: "email",
        text: "We're switching to Northwind;\ttab and \\ backslash.",
      },
      { id: "n2", account: "acc_1", ts: "2025-03-05T09:00:00Z", channel: "email", text: "Thanks!" },
    ];
    const body = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join("\n"));
    await importInWorker(db, ENTITIES.notes, { body, format: "ndjson" });
    const all = await findings();
    expect(all.map((f) => [f.record_id, f.kind, highlighted(f)])).toEqual([
      ["n1", "competitor_mention", "Northwind"],
      ["n1", "evaluating_alternatives", "switching to Northwind"],
    ]);
    expect(all[0]!.sentence).toBe("We're switching to Northwind;\ttab and \\ backslash.");
  });
});
