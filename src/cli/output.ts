import { AppError } from "../errors.js";
import { describeIssue, type Issue } from "../ingest/index.js";

/** Prints an error for people (or as JSON) and sets a failing exit code. */
export function reportError(err: unknown, json: boolean): void {
  process.exitCode = 1;
  if (err instanceof AppError) {
    if (json) {
      process.stdout.write(`${JSON.stringify(err.toBody(), null, 2)}\n`);
      return;
    }
    process.stderr.write(`error (${err.code}): ${err.message}\n`);
    for (const d of err.details) {
      const issue = d as Partial<Issue>;
      process.stderr.write(
        `  ${typeof issue.record === "number" ? describeIssue(issue as Issue) : JSON.stringify(d)}\n`,
      );
    }
    if (err.total !== undefined && err.total > err.details.length) {
      process.stderr.write(`  … and ${err.total - err.details.length} more\n`);
    }
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json)
    process.stdout.write(`${JSON.stringify({ error: { code: "internal", message, details: [] } })}\n`);
  else process.stderr.write(`error: ${message}\n`);
}

/** Rows and rows/s on a terminal, at most a few times a second; nothing when not a terminal. */
export function progress(label: string): { update: (n: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(n) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      shown = true;
      const rate = Math.round(n / ((now - start) / 1000));
      process.stderr.write(
        `\r${label}: ${n.toLocaleString("en")} rows, ${rate.toLocaleString("en")} rows/s   `,
      );
    },
    done() {
      if (shown) process.stderr.write("\n");
    },
  };
}
