import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { dumpPglite, migrate, openPglite } from "../src/store/index.js";

/**
 * A cold PGlite start costs ~3 s; loading a saved, already migrated copy costs
 * ~0.5 s. Make that copy once per run and hand its path to every test file.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const db = await openPglite();
  await migrate(db);
  const blob = await dumpPglite(db);
  await db.close();
  const file = join(tmpdir(), `keepwell-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  project.provide("pgliteTemplate", file);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
