import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";

/**
 * Parsing configuration (the scorecard, the playbooks) with every problem
 * named by its path — `categories[1].measures[0].scale.best` — and, for YAML,
 * by its line and column.
 */
export interface ConfigError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

type PathSegment = PropertyKey;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  string: "a string",
  array: "a list",
  object: "an object",
  boolean: "true or false",
};

const quoteAll = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(", ");

/** Messages for zod's generic issues; a schema's own messages take precedence over these. */
function genericMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "is required";
      const received = (issue as { received?: unknown }).received;
      if (issue.expected === "number" && (received === "NaN" || received === "Infinity")) {
        return "must be a finite number";
      }
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    }
    case "invalid_value":
      return `must be one of ${quoteAll(issue.values)}`;
    case "invalid_union": {
      const options = (issue as { options?: readonly unknown[] }).options;
      return options === undefined ? undefined : `must be one of ${quoteAll(options)}`;
    }
    default:
      return undefined;
  }
}

export interface PathError {
  path: PathSegment[];
  message: string;
}

/** Validates parsed input against `schema`; every problem with its path. */
export function validateWith<T>(
  schema: z.ZodType<T>,
  input: unknown,
): { value: T } | { errors: PathError[] } {
  const result = schema.safeParse(input, { error: genericMessage });
  if (result.success) return { value: result.data };
  const errors: PathError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors.push({ path: [...issue.path, key], message: "unknown field" });
    } else {
      errors.push({ path: [...issue.path], message: issue.message });
    }
  }
  return { errors };
}

/** Validates an object (already parsed from JSON) and formats the paths. */
export function parseObject<T>(
  validate: (input: unknown) => { value: T } | { errors: PathError[] },
  input: unknown,
): ParseResult<T> {
  const result = validate(input);
  if ("value" in result) return { ok: true, value: result.value };
  return { ok: false, errors: result.errors.map((e) => ({ path: formatPath(e.path), message: e.message })) };
}

/** The node at `path`, or its nearest ancestor that exists in the document. */
function nearestNode(root: unknown, path: readonly PathSegment[]): Node | undefined {
  let node = root as Node | undefined;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(segment, true);
    else if (isSeq(node) && typeof segment === "number") next = node.get(segment, true);
    if (next === undefined || next === null || typeof next !== "object") break;
    node = next as Node;
  }
  return node;
}

/**
 * Parses YAML and validates it. Syntax errors come back with their line and
 * column (and in the message); validation errors carry the line of the
 * offending value (or of its nearest existing parent).
 */
export function parseYaml<T>(
  text: string,
  validate: (input: unknown) => { value: T } | { errors: PathError[] },
  what: string,
): ParseResult<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const at = error.linePos?.[0];
        const message = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        const where = at === undefined ? "" : ` at line ${at.line}, column ${at.col}`;
        return {
          path: "",
          message: `YAML syntax error${where}: ${message}`,
          ...(at === undefined ? {} : { line: at.line, column: at.col }),
        };
      }),
    };
  }
  if (doc.contents === null)
    return { ok: false, errors: [{ path: "", message: `the document is empty; expected ${what}` }] };
  const result = validate(doc.toJS());
  if ("value" in result) return { ok: true, value: result.value };
  return {
    ok: false,
    errors: result.errors.map((error) => {
      const offset = nearestNode(doc.contents, error.path)?.range?.[0];
      const at = offset === undefined ? undefined : lineCounter.linePos(offset);
      return {
        path: formatPath(error.path),
        message: error.message,
        ...(at === undefined ? {} : { line: at.line, column: at.col }),
      };
    }),
  };
}

/** One line per error, e.g. `line 12: categories[0].weight: must be a positive number`. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors
    .map((error) => {
      const where = error.line === undefined || error.path === "" ? "" : `line ${error.line}: `;
      return `${where}${error.path === "" ? "" : `${error.path}: `}${error.message}`;
    })
    .join("\n");
}
