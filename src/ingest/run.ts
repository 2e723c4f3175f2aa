import { AppError } from "../errors.js";
import type { Cell, Db } from "../store/index.js";
import type { Entity } from "./entities.js";
import { IssueList } from "./issues.js";
import type { Item } from "./readers.js";
import { ImportRejected } from "./rejected.js";
import { validateRecord } from "./validate.js";
import { type WriteCounts, writeBatch } from "./write.js";

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult extends ImportCounts {
  /** Accounts whose facts changed (for fresh scores). */
  touched: string[];
}

export interface ImportOptions {
  batchSize?: number;
  /** Called now and then with the number of records read so far. */
  onProgress?: (records: number) => void;
}

/**
 * Imports a stream of records of one entity, all or nothing: every record is
 * validated (fields, duplicates within the input, unknown accounts); batches
 * are written set-based inside one transaction while the next batch is read;
 * any problem rolls everything back and throws ImportRejected with the first
 * 100 problems and their total.
 */
export async function importRecords(
  db: Db,
  entity: Entity,
  items: Iterable<Item[]> | AsyncIterable<Item[]>,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = opts.batchSize ?? 50_000;
  const issues = new IssueList();
  try {
    return await db.transaction(async (tx) => {
      const knownAccounts = entity.ofAccount
        ? new Set((await tx.query<{ id: string }>("SELECT id FROM accounts")).map((r) => r.id))
        : undefined;
      const unknownAccounts = new Set<string>();
      const seen = new Map<string, number>();
      const totals: WriteCounts = { inserted: 0, updated: 0, touched: [] };
      const touched = new Set<string>();
      let batch: Cell[][] = [];
      let pending: Promise<void> | undefined;
      let records = 0;

      const flush = async () => {
        const rows = batch;
        batch = [];
        if (pending) await pending;
        if (!issues.empty || rows.length === 0) return;
        pending = writeBatch(tx, entity, rows).then((c) => {
          totals.inserted += c.inserted;
          totals.updated += c.updated;
          for (const a of c.touched) touched.add(a);
        });
        // A failed write is surfaced at the next await; keep it from being reported as unhandled.
        pending.catch(() => undefined);
      };

      for await (const chunk of items) {
        opts.onProgress?.(records);
        for (const item of chunk) {
          records++;
          if (item.issues) {
            for (const i of item.issues) issues.add(i);
            continue;
          }
          const v = validateRecord(entity, item.value, item);
          if (Array.isArray(v)) {
            for (const i of v) issues.add(i);
            // Name an unknown account even when other fields are wrong too.
            const account = (item.value as { account?: unknown } | null)?.account;
            if (
              knownAccounts &&
              typeof account === "string" &&
              account !== "" &&
              !knownAccounts.has(account)
            ) {
              unknownAccounts.add(account);
              issues.add({
                record: item.record,
                line: item.line,
                field: "account",
                message: `unknown account "${account}"`,
              });
            }
            continue;
          }
          const first = seen.get(v.key);
          if (first !== undefined) {
            issues.add({
              record: item.record,
              line: item.line,
              field: entity.key.join("+"),
              message: `duplicate of record ${first} in the same input`,
            });
            continue;
          }
          seen.set(v.key, item.record);
          if (knownAccounts && !knownAccounts.has(v.account)) {
            unknownAccounts.add(v.account);
            issues.add({
              record: item.record,
              line: item.line,
              field: "account",
              message: `unknown account "${v.account}"`,
            });
            continue;
          }
          if (!issues.empty) continue; // keep reading to report every problem, but write nothing more
          batch.push(v.cells);
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      if (pending) await pending;
      opts.onProgress?.(records);
      if (records === 0)
        throw new AppError("validation_failed", `the ${entity.name} input is empty: no records`);
      if (!issues.empty) throw new ImportRejected(entity.name, issues, [...unknownAccounts]);
      return {
        inserted: totals.inserted,
        updated: totals.updated,
        unchanged: records - totals.inserted - totals.updated,
        touched: [...touched],
      };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Still report every validation problem when a write failed after one was found.
    if (!issues.empty) throw new ImportRejected(entity.name, issues, []);
    throw err;
  }
}
