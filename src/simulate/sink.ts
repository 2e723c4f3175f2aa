/**
 * Where simulated records go. A sink receives records entity by entity, in a
 * deterministic order; `write` may return a promise when the sink wants the
 * producer to wait (backpressure).
 */

// The simulator writes the same entities ingest reads.
import { ENTITY_NAMES, type EntityName } from "../ingest/index.js";

export { ENTITY_NAMES, type EntityName } from "../ingest/index.js";

export type SimRecord = Record<string, unknown>;

export interface RecordSink {
  write(entity: EntityName, record: SimRecord): void | Promise<void>;
  close(): Promise<void>;
}

/** How the generators hand over a record (synchronously, into the account's buffer). */
export type Emit = (entity: EntityName, record: SimRecord) => void;

/** Keeps every record in memory, per entity: for tests and small demos. */
export class MemorySink implements RecordSink {
  readonly records: Record<EntityName, SimRecord[]> = Object.fromEntries(
    ENTITY_NAMES.map((e) => [e, [] as SimRecord[]]),
  ) as Record<EntityName, SimRecord[]>;
  closed = false;

  write(entity: EntityName, record: SimRecord): void {
    this.records[entity].push(record);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Counts records per entity, or hands each to a callback: for tests and benchmarks. */
export class CountingSink implements RecordSink {
  readonly counts: Record<EntityName, number> = Object.fromEntries(ENTITY_NAMES.map((e) => [e, 0])) as Record<
    EntityName,
    number
  >;

  constructor(private readonly onRecord?: (entity: EntityName, record: SimRecord) => void) {}

  write(entity: EntityName, record: SimRecord): void {
    this.counts[entity]++;
    this.onRecord?.(entity, record);
  }

  async close(): Promise<void> {}
}
