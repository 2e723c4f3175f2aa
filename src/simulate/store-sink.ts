/**
 * Writes simulated records straight into the store through the same bulk
 * import path files go through (so a direct write and an import of the
 * simulated files give the same store). Records are buffered per entity and
 * flushed accounts first, so every record's account already exists.
 */
import { ENTITIES, type Item, importRecords } from "../ingest/index.js";
import type { Db } from "../store/index.js";
import { ENTITY_NAMES, type EntityName, type RecordSink, type SimRecord } from "./sink.js";

export class StoreSink implements RecordSink {
  private readonly buffers = new Map<EntityName, SimRecord[]>(ENTITY_NAMES.map((e) => [e, []]));
  private buffered = 0;
  readonly written: Record<EntityName, number> = Object.fromEntries(
    ENTITY_NAMES.map((e) => [e, 0]),
  ) as Record<EntityName, number>;

  constructor(
    private readonly db: Db,
    private readonly opts: { flushEvery?: number; onProgress?: (records: number) => void } = {},
  ) {}

  write(entity: EntityName, record: SimRecord): void | Promise<void> {
    this.buffers.get(entity)!.push(record);
    if (++this.buffered >= (this.opts.flushEvery ?? 200_000)) return this.flush();
  }

  async flush(): Promise<void> {
    for (const entity of ENTITY_NAMES) {
      const records = this.buffers.get(entity)!;
      if (records.length === 0) continue;
      this.buffers.set(entity, []);
      const items: Item[] = records.map((value, record) => ({ record, value }));
      await importRecords(this.db, ENTITIES[entity], [items]);
      this.written[entity] += records.length;
    }
    this.buffered = 0;
    this.opts.onProgress?.(Object.values(this.written).reduce((a, b) => a + b, 0));
  }

  close(): Promise<void> {
    return this.flush();
  }
}
