/**
 * The fuzz harness itself: deterministic, distinct, covering, and a judge
 * that does see each kind of failure (a suite that cannot fail proves
 * nothing). No store: bad-input.test.ts runs it against the product.
 */
import { describe, expect, it } from "vitest";
import { ENTITY_NAMES } from "../../src/ingest/index.js";
import { badCases, coverage } from "./bad-records.js";
import { CATEGORIES } from "./bad-values.js";
import { GoodRecords, makeWorld } from "./good-records.js";
import { Rng } from "./prng.js";
import { type Channel, sendPack } from "./run-packs.js";
import { Raw, toText } from "./serialize.js";
import { type Counts, sameCounts } from "./store-counts.js";
import { type ErrorBody, judgeRecord, type Outcome, rejectionProblem } from "./verdict.js";

const world = makeWorld();

describe("fuzz harness", () => {
  it("is deterministic for a seed, and differs between seeds", () => {
    const a = new Rng("s");
    const b = new Rng("s");
    const seq = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seq);
    expect(new Rng("t").next()).not.toBe(seq[0]);
    const one = badCases(7, 300, world).map((c) => c.digest);
    expect(badCases(7, 300, world).map((c) => c.digest)).toEqual(one);
    expect(badCases(8, 300, world).map((c) => c.digest)).not.toEqual(one);
  });

  it("makes distinct cases of every entity and every category", () => {
    const cases = badCases("cover", 1500, world);
    expect(new Set(cases.map((c) => c.digest)).size).toBe(1500);
    const { byCategory, byEntity } = coverage(cases);
    expect(Object.keys(byEntity).sort()).toEqual([...ENTITY_NAMES].sort());
    expect(Object.keys(byCategory).sort()).toEqual([...CATEGORIES].sort());
    for (const c of cases) expect(c.field, c.label).not.toBe(undefined);
  });

  it("knows the line each record is on", () => {
    const records: [string, unknown][][] = [
      [["id", "a"]],
      [["id", "two\nlines"]],
      [["id", "crlf\r\ninside"]],
      [["id", new Raw("1e400")]],
    ];
    expect(toText(records, "csv").lines).toEqual([
      [2, 2],
      [3, 4],
      [5, 6],
      [7, 7],
    ]);
    expect(toText(records, "csv", { crlf: true, bom: true }).text.startsWith("\uFEFFid\r\na\r\n")).toBe(true);
    expect(toText(records, "ndjson", { blankEvery: 2 }).lines).toEqual([
      [1, 1],
      [2, 2],
      [4, 4],
      [5, 5],
    ]);
    expect(toText([[["__proto__", { x: 1 }]]], "json").text).toBe('[{"__proto__":{"x":1}}]');
  });

  const rejection = (details: ErrorBody["details"], total = details.length): Outcome => ({
    status: 400,
    body: { error: { code: "validation_failed", message: "bad", details, total } },
  });
  const errorOf = (o: Outcome) => (o.body as { error: ErrorBody }).error;

  it("judges an answer: each failure has its cause", () => {
    expect(rejectionProblem({ status: "crash", body: undefined }, false)).toBe("crash");
    expect(rejectionProblem({ status: 500, body: {} }, false)).toBe("status_500");
    expect(rejectionProblem({ status: 200, body: {} }, false)).toBe("accepted");
    expect(rejectionProblem({ status: 400, body: { error: { code: "x" } } }, false)).toBe("bad_error_body");
    expect(rejectionProblem(rejection([]), true)).toBe("rows_written");
    expect(rejectionProblem(rejection([]), false)).toBe(undefined);
    const x = { record: 2, lines: [3, 3] as [number, number], field: "csat", message: /whole/ };
    const named = errorOf(
      rejection([{ record: 2, line: 3, field: "csat", message: "must be a whole number" }]),
    );
    expect(judgeRecord(named, x)).toBe(undefined);
    expect(judgeRecord(errorOf(rejection([{ record: 1, field: "csat", message: "" }])), x)).toBe(
      "record_not_named",
    );
    expect(judgeRecord(errorOf(rejection([{ record: 2, field: "", message: "" }])), x)).toBe("wrong_field");
    expect(judgeRecord(errorOf(rejection([{ record: 2, field: "csat", message: "nope" }])), x)).toBe(
      "wrong_message",
    );
    expect(
      judgeRecord(errorOf(rejection([{ record: 2, line: 9, field: "csat", message: "whole" }])), x),
    ).toBe("wrong_line");
    expect(judgeRecord(errorOf(rejection([{ record: 2, field: "csat.0", message: "whole" }])), x)).toBe(
      undefined,
    );
    const hundred = Array.from({ length: 100 }, (_, i) => ({ record: i + 10, field: "id", message: "" }));
    expect(judgeRecord(errorOf(rejection(hundred, 250)), x)).toBe("truncated");
  });

  it("sees rows written by an input that was rejected", async () => {
    let n = 0;
    const counts = async (): Promise<Counts> => ({ accounts: n });
    const ch: Channel = {
      name: "fake",
      rng: new Rng(1),
      tally: undefined as never,
      counts,
      deliver: async () => {
        n++;
        return rejection([{ record: 0, field: "name", message: "is required" }]);
      },
    };
    const [c] = badCases("w", 1, world);
    const r = await sendPack(ch, {
      entity: c!.entity,
      format: "json",
      slots: [{ entries: c!.record, bad: c }],
      opts: {},
    });
    expect(r.written).not.toBe("");
    expect(r.causes[0]).toBe("rows_written");
    expect(sameCounts({ accounts: 1 }, { accounts: 2 })).toBe(false);
  });

  it("makes good records that refer to the world's accounts", () => {
    const good = new GoodRecords(new Rng(3), world, "h");
    for (const [records] of good.everyEntity()) {
      const account = records!.find(([k]) => k === "account")?.[1];
      if (account !== undefined) expect(world.accounts).toContain(account);
    }
  });
});
