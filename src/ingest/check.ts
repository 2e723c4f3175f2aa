import type { Cell } from "../store/index.js";
import { type Batch, makeBatch } from "./batch.js";
import type { Entity } from "./entities.js";
import { isBlank } from "./entities.js";
import { IssueList } from "./issues.js";
import type { Item } from "./readers.js";
import { excerpt, textProblem } from "./safe-text.js";
import { validateRecord } from "./validate.js";

/**
 * Checks the records of one input in order: each record's fields, duplicate
 * keys within the input, and unknown accounts. Collects the valid records'
 * cells until the first problem; after that it only counts and reports.
 */
export class RecordChecker {
  readonly issues = new IssueList();
  readonly unknownAccounts = new Set<string>();
  records = 0;
  private readonly seen = new Map<string, number>();
  private rows: Cell[][] = [];
  private bytes = 0;
  /** Rows handed out so far: the next batch starts at this record. */
  private taken = 0;

  constructor(
    private readonly entity: Entity,
    /** Ids of the accounts in the store; absent for the accounts entity itself. */
    private readonly knownAccounts: ReadonlySet<string> | undefined,
  ) {}

  add(chunk: readonly Item[]): void {
    const { entity, issues } = this;
    for (const item of chunk) {
      this.records++;
      if (item.issues && item.value === undefined) {
        for (const i of item.issues) issues.add(i);
        continue;
      }
      // Problems found while reading (a CSV cell that is not a number) come first; the
      // record is still validated, leaving out what those already name.
      const read = item.issues ?? [];
      for (const i of read) issues.add(i);
      const named = new Set(read.map((i) => i.field));
      const v = validateRecord(entity, item.value, item);
      if (Array.isArray(v) || read.length) {
        if (Array.isArray(v)) for (const i of v) if (!named.has(i.field.split(".")[0]!)) issues.add(i);
        // Name an unknown account even when other fields are wrong too (a blank or unstorable one is named already).
        const account = (item.value as { account?: unknown } | null)?.account;
        if (
          typeof account === "string" &&
          !isBlank(account) &&
          !textProblem(account) &&
          account.length <= 200
        )
          this.knownOrReport(account, item);
        continue;
      }
      const first = this.seen.get(v.key);
      if (first !== undefined) {
        issues.add({
          record: item.record,
          line: item.line,
          field: entity.key.join("+"),
          message: `duplicate of record ${first} in the same input`,
        });
        continue;
      }
      this.seen.set(v.key, item.record);
      if (!this.knownOrReport(v.account, item)) continue;
      // Keep reading to report every problem, but keep nothing more to write.
      if (issues.empty) {
        this.rows.push(v.cells);
        for (const c of v.cells) if (c !== null) this.bytes += c.length + 1;
      }
    }
  }

  /** Whether `account` exists (always, for the accounts entity); reports it on the record when not. */
  private knownOrReport(account: string, item: Pick<Item, "record" | "line">): boolean {
    if (!this.knownAccounts || this.knownAccounts.has(account)) return true;
    this.unknownAccounts.add(account);
    this.issues.add({
      record: item.record,
      line: item.line,
      field: "account",
      message: `unknown account ${excerpt(account, 60)}`,
    });
    return false;
  }

  /** Whether enough rows wait to make a batch: `size` rows, or `bytes` of text (a statement's cost). */
  full(size: number, bytes: number): boolean {
    return this.rows.length >= size || this.bytes >= bytes;
  }

  /** The valid rows collected so far as a batch (and forgets them); none once a problem was found. */
  takeBatch(encode: boolean): Batch | undefined {
    const rows = this.rows;
    this.rows = [];
    this.bytes = 0;
    if (!this.issues.empty || rows.length === 0) return undefined;
    const batch = makeBatch(this.entity, rows, this.taken, encode);
    this.taken += rows.length;
    return batch;
  }
}
