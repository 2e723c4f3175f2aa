/** One problem with one input record. */
export interface Issue {
  /** 0-based position of the record in the request or file. */
  record: number;
  /** 1-based line in the file (NDJSON and CSV). */
  line?: number;
  /** The field, or "" for the record as a whole. */
  field: string;
  message: string;
}

export const MAX_ISSUES = 100;

/** Keeps the first MAX_ISSUES problems and counts them all. */
export class IssueList {
  readonly items: Issue[] = [];
  total = 0;

  add(issue: Issue): void {
    this.total++;
    if (this.items.length < MAX_ISSUES) this.items.push(issue);
  }

  get empty(): boolean {
    return this.total === 0;
  }
}

export function describeIssue(i: Issue): string {
  const where = i.line !== undefined ? `line ${i.line}` : `record ${i.record}`;
  return `${where}${i.field ? `, ${i.field}` : ""}: ${i.message}`;
}
