import { ENTITIES, type Item, importRecords } from "../../src/ingest/index.js";
import { MemorySink, type SimulateOptions, simulate } from "../../src/simulate/index.js";
import type { Db } from "../../src/store/index.js";

/** Loads a small simulated company into a store (records in memory: keep it small). */
export async function loadCompany(db: Db, opts: SimulateOptions): Promise<MemorySink["records"]> {
  const sink = new MemorySink();
  await simulate(opts, sink);
  for (const [entity, records] of Object.entries(sink.records)) {
    if (records.length === 0) continue;
    const items: Item[] = records.map((value, record) => ({ record, value }));
    await importRecords(db, ENTITIES[entity as keyof typeof ENTITIES], [items]);
  }
  return sink.records;
}
