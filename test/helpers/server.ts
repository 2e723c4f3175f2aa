import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/api/index.js";
import { ENTITIES, ENTITY_NAMES } from "../../src/ingest/index.js";
import type { Db } from "../../src/store/index.js";

export async function testServer(db: Db, bodyLimit = 64 * 1024 * 1024): Promise<FastifyInstance> {
  return buildServer({ db, config: { bodyLimit, logLevel: "silent" } });
}

/** Every fact table's rows, in a stable order: what "the store is unchanged" compares. */
export async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const tables = ENTITY_NAMES.map((e) => ENTITIES[e].table);
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = await db.query(`SELECT * FROM ${t}`);
    out[t] = rows
      .map(({ ingested_at, updated_at, ...r }) => r)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}
