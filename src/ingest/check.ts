import type { Cell } from "../store/index.js";
import type { Entity } from "./entities.js";
import { IssueList } from "./issues.js";
import type { Item } from "./readers.js";
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

  constructor(
    private readonly entity: Entity,
    /** Ids of the accounts in the store; absent for the accounts entity itself. */
    private readonly knownAccounts: ReadonlySet<string> | undefined,
  ) {}

  add(chunk: readonly Item[]): void {
    const { entity, issues } = this;
    for (const item of chunk) {
      this.records++;
      if (item.issues) {
        for (const i of item.issues) issues.add(i);
        continue;
      }
      const v = validateRecord(entity, item.value, item);
      if (Array.isArray(v)) {
        for (const i of v) issues.add(i);
        // Name an unknown account even when other fields are wrong too.
        const account = (item.value as { account?: unknown } | null)?.account;
        if (typeof account === "string" && account !== "") this.knownOrReport(account, item);
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
      if (issues.empty) this.rows.push(v.cells);
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
      message: `unknown account "${account}"`,
    });
    return false;
  }

  /** The valid rows collected so far (and forgets them); nothing once a problem was found. */
  take(): Cell[][] {
    const rows = this.rows;
    this.rows = [];
    return this.issues.empty ? rows : [];
  }

  get pending(): number {
    return this.rows.length;
  }
}
