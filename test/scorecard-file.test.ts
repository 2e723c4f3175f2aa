import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCORECARD_YAML } from "../src/domain/index.js";
import { activeScorecard, syncScorecardFile, writeScorecardFile } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

describe(`the scorecard file (${storeName})`, () => {
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), "keepwell-scorecard-"));
  beforeAll(async () => {
    db = await testDb();
  });
  afterAll(async () => db.close());

  it("starts from the default, takes a changed file as a new version, and ignores an unchanged one", async () => {
    const file = join(dir, "keepwell.scorecard.yaml");
    expect((await syncScorecardFile(db, file)).version).toBe(1);
    writeFileSync(file, DEFAULT_SCORECARD_YAML);
    expect((await syncScorecardFile(db, file)).version).toBe(1);
    writeFileSync(file, DEFAULT_SCORECARD_YAML.replace("weight: 40", "weight: 50"));
    const v2 = await syncScorecardFile(db, file);
    expect(v2.version).toBe(2);
    expect(v2.source).toBe("file");
    expect(v2.scorecard.categories[0]?.weight).toBe(50);
    expect((await syncScorecardFile(db, file)).version).toBe(2);
  });

  it("refuses a bad file, naming the file, the path and the line, and keeps the active version", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, DEFAULT_SCORECARD_YAML.replace("weight: 40", "weight: -4"));
    await expect(syncScorecardFile(db, file)).rejects.toMatchObject({
      message: expect.stringContaining(file),
      details: expect.arrayContaining([
        expect.objectContaining({ field: "categories[0].weight", line: expect.any(Number) }),
      ]),
    });
    expect((await activeScorecard(db)).version).toBe(2);
  });

  it("writes a scorecard back as YAML that reads the same", async () => {
    const file = join(dir, "written.yaml");
    const active = await activeScorecard(db);
    writeScorecardFile(file, active.scorecard);
    expect(readFileSync(file, "utf8")).toMatch(/^# Keepwell scorecard/);
    expect((await syncScorecardFile(db, file)).version).toBe(active.version);
  });
});
