import { AppError } from "../errors.js";
import { type IssueList, MAX_ISSUES } from "./issues.js";
import { excerpt } from "./safe-text.js";

/** An input with at least one bad record: nothing of it was written. */
export class ImportRejected extends AppError {
  constructor(entity: string, issues: IssueList, unknownAccounts: string[]) {
    const accounts = unknownAccounts.length
      ? ` Unknown account ids: ${unknownAccounts
          .slice(0, 20)
          .map((a) => excerpt(a, 60))
          .join(", ")}${unknownAccounts.length > 20 ? ", …" : ""}.`
      : "";
    const shown = issues.total > MAX_ISSUES ? ` (the first ${MAX_ISSUES} are listed)` : "";
    super(
      "validation_failed",
      `${issues.total} problem${issues.total === 1 ? "" : "s"} in the ${entity} input${shown}; nothing was written.${accounts}`,
      { details: issues.items, total: issues.total },
    );
  }
}
