import { AppError } from "../errors.js";
import { textFindingsWriter } from "../signals/text-findings.js";
import { type Db, type Queryable, retryTransient, rowCount } from "../store/index.js";
import type { Batch } from "./batch.js";
import { RecordChecker } from "./check.js";
import type { Entity } from "./entities.js";
import type { IssueList } from "./issues.js";
import type { Item } from "./readers.js";
import { ImportRejected } from "./rejected.js";
import { entityColumns } from "./validate.js";
import { writeBatch } from "./write.js";

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult extends ImportCounts {
  /** Accounts whose facts changed (for fresh scores). */
  touched: string[];
}

/**
 * A batch's text is capped as well as its rows: each batch is one COPY and one
 * statement, and on PGlite a statement holds the thread it runs on, so a cap
 * keeps the server answering while a request of large tickets is written.
 */
export const BATCH_BYTES = 4 * 1024 * 1024;

export interface ImportOptions {
  batchSize?: number;
  /** Most text a batch holds (default BATCH_BYTES). */
  batchBytes?: number;
  /** Called now and then with the number of records read so far. */
  onProgress?: (records: number) => void;
  /**
   * Runs inside the import's transaction once its records are written, so
   * what it does (queueing fresh scores) commits or rolls back with them.
   */
  inTransaction?: (tx: Queryable, result: ImportResult) => Promise<void>;
}

/** Records to import: chunks of items, or a function giving them afresh (which lets a deadlocked import start again). */
export type ItemSource =
  | Iterable<Item[]>
  | AsyncIterable<Item[]>
  | (() => Iterable<Item[]> | AsyncIterable<Item[]>);

/** Whether iterating `source` again gives the records again (arrays and factories do; generators do not). */
function replayable(source: ItemSource): boolean {
  if (typeof source === "function") return true;
  const it = source as Partial<Iterable<Item[]> & AsyncIterable<Item[]>>;
  const iterator = it[Symbol.iterator]?.() ?? it[Symbol.asyncIterator]?.();
  return iterator !== (source as unknown);
}

/** What the checking side reports when the input is exhausted. */
export interface CheckOutcome {
  records: number;
  issues: IssueList;
  unknownAccounts: string[];
}

export async function knownAccountsOf(tx: Queryable, entity: Entity): Promise<Set<string> | undefined> {
  if (!entity.ofAccount) return undefined;
  return new Set((await tx.query<{ id: string }>("SELECT id FROM accounts")).map((r) => r.id));
}

/**
 * Writes batches inside one transaction, one in flight while the next is
 * read, then settles all or nothing: any problem the checker found rolls
 * everything back and throws ImportRejected (the first 100 problems and the
 * total).
 */
export async function writeAll(
  db: Db,
  entity: Entity,
  produce: (tx: Queryable, write: (batch: Batch) => Promise<void>) => Promise<CheckOutcome>,
  opts: { retry?: boolean; inTransaction?: ImportOptions["inTransaction"] } = {},
): Promise<ImportResult> {
  // A deadlock or serialisation failure (concurrent writers of the same
  // records on PostgreSQL) rolls the whole import back: start it again.
  const attempt = () => writeAllInTransaction(db, entity, produce, opts.inTransaction);
  const result = opts.retry === false ? await attempt() : await retryTransient(attempt);
  // A large import changes the table's statistics: refresh them so queries
  // are planned well (PGlite has no autovacuum to do it).
  if (result.inserted + result.updated >= ANALYZE_FROM) {
    const tables = [entity.table, ...(entity.rollsUpUsage ? ["usage_user_days", "usage_feature_days"] : [])];
    for (const t of tables) await db.exec(`ANALYZE ${t}`);
  }
  return result;
}

const ANALYZE_FROM = 20_000;

async function writeAllInTransaction(
  db: Db,
  entity: Entity,
  produce: (tx: Queryable, write: (batch: Batch) => Promise<void>) => Promise<CheckOutcome>,
  inTransaction: ImportOptions["inTransaction"],
): Promise<ImportResult> {
  let outcome: CheckOutcome | undefined;
  try {
    return await db.transaction(async (tx) => {
      let inserted = 0;
      let updated = 0;
      const touched = new Set<string>();
      let pending: Promise<void> | undefined;
      // What the text of tickets, notes, surveys and deals says (competitors named, departures, …), written with them.
      const findText = await textFindingsWriter(tx, entity.name, entityColumns(entity));
      const write = async (batch: Batch) => {
        if (pending) await pending;
        pending = writeBatch(tx, entity, batch).then(async (c) => {
          inserted += c.inserted;
          updated += c.updated;
          for (const a of c.touched) touched.add(a);
          await findText?.(batch.rows, c.inserted === rowCount(batch.rows));
        });
        // A failed write is surfaced at the next await; keep it from being reported as unhandled.
        pending.catch(() => undefined);
      };
      outcome = await produce(tx, write);
      if (pending) await pending;
      if (outcome.records === 0)
        throw new AppError("validation_failed", `the ${entity.name} input is empty: no records`);
      if (!outcome.issues.empty)
        throw new ImportRejected(entity.name, outcome.issues, outcome.unknownAccounts);
      const result = {
        inserted,
        updated,
        unchanged: outcome.records - inserted - updated,
        touched: [...touched],
      };
      await inTransaction?.(tx, result);
      return result;
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Still report every validation problem when a write failed after one was found.
    if (outcome && !outcome.issues.empty)
      throw new ImportRejected(entity.name, outcome.issues, outcome.unknownAccounts);
    throw err;
  }
}

/**
 * Imports a stream of records of one entity in this thread, all or nothing:
 * every record is validated (fields, duplicates within the input, unknown
 * accounts) and valid ones are written in set-based batches.
 */
export async function importRecords(
  db: Db,
  entity: Entity,
  source: ItemSource,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = opts.batchSize ?? 50_000;
  const batchBytes = opts.batchBytes ?? BATCH_BYTES;
  const produce = async (tx: Queryable, write: (batch: Batch) => Promise<void>) => {
    const checker = new RecordChecker(entity, await knownAccountsOf(tx, entity));
    const items = typeof source === "function" ? source() : source;
    for await (const chunk of items) {
      checker.add(chunk);
      opts.onProgress?.(checker.records);
      if (checker.full(batchSize, batchBytes)) {
        const batch = checker.takeBatch(false);
        if (batch) await write(batch);
      }
    }
    const rest = checker.takeBatch(false);
    if (rest) await write(rest);
    return {
      records: checker.records,
      issues: checker.issues,
      unknownAccounts: [...checker.unknownAccounts],
    };
  };
  return writeAll(db, entity, produce, { retry: replayable(source), inTransaction: opts.inTransaction });
}
