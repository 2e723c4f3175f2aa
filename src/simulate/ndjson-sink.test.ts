import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NdjsonDirSink } from "./ndjson-sink.js";
import { ENTITY_NAMES } from "./sink.js";
import { MemoryTruth, NdjsonTruthWriter } from "./truth.js";

describe("NdjsonDirSink", () => {
  const dir = mkdtempSync(join(tmpdir(), "keepwell-ndjson-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates one file per entity and keeps every line, in order, under backpressure", async () => {
    const sink = new NdjsonDirSink(join(dir, "out"));
    let waits = 0;
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const wait = sink.write("events", {
        id: `evt_${i}`,
        account: "acc_1",
        name: "x".repeat(100),
        value: i,
      });
      if (wait) {
        waits++;
        await wait;
      }
    }
    sink.write("accounts", { id: "acc_1", name: 'Ünïcode & "quotes"\n' });
    await sink.close();
    expect(waits).toBeGreaterThan(0);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(ENTITY_NAMES.map((e) => `${e}.ndjson`).sort());
    const lines = readFileSync(sink.fileOf("events"), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(n);
    expect(lines.every((l, i) => JSON.parse(l).value === i)).toBe(true);
    expect(JSON.parse(readFileSync(sink.fileOf("accounts"), "utf8")).name).toBe('Ünïcode & "quotes"\n');
    expect(readFileSync(sink.fileOf("metrics"), "utf8")).toBe("");
  });

  it("refuses writes after close", async () => {
    const sink = new NdjsonDirSink(join(dir, "closed"));
    await sink.close();
    expect(() => sink.write("events", { id: "e" })).toThrow(/closed/);
  });
});

describe("truth writers", () => {
  it("write one JSON line per account", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keepwell-truth-"));
    try {
      const file = join(dir, "nested", "truth.ndjson");
      const writer = new NdjsonTruthWriter(file);
      const truth = {
        id: "acc_00001",
        segment: "smb" as const,
        archetype: "healthy" as const,
        started_at: "2023-01-01",
        churn_date: null,
        churn_cause: "none" as const,
        future_churn_date: null,
        future_churn_cause: "none" as const,
        decline_start: null,
        renewed: true,
        expanded: false,
        health: [{ month: "2023-07", health: 0.8 }],
      };
      await writer.write(truth);
      await writer.close();
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(truth);
      const memory = new MemoryTruth();
      memory.write(truth);
      expect(memory.accounts).toEqual([truth]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
