import type { Cell } from "../store/index.js";
import type { Entity } from "./entities.js";
import { columnOf, isBlank } from "./entities.js";
import type { Issue } from "./issues.js";

export interface Validated {
  /** The record's values as text, in `entityColumns(entity)` order. */
  cells: Cell[];
  /** The key, as one string, to find duplicates within a batch. */
  key: string;
  /** The account the record belongs to (its own id for accounts). */
  account: string;
}

/** The store columns a record's cells fill: its fields', then its derived columns. */
export function entityColumns(entity: Entity): string[] {
  return [
    ...Object.keys(entity.fields).map((f) => columnOf(entity, f)),
    ...(entity.derived ?? []).map((d) => d.column),
  ];
}

type Where = Pick<Issue, "record" | "line">;

/** What validation needs of an entity, worked out once. */
interface Plan {
  names: string[];
  required: string[];
  toCell: ((v: unknown) => Cell)[];
  keyIdx: number[];
  accountField: string;
}
const plans = new WeakMap<Entity, Plan>();

function planOf(entity: Entity): Plan {
  let p = plans.get(entity);
  if (!p) {
    const names = Object.keys(entity.fields);
    p = {
      names,
      required: names.filter((n) => entity.fields[n]!.required),
      toCell: names.map((n) => entity.fields[n]!.field.toCell),
      keyIdx: entity.key.map((k) => names.indexOf(k)),
      accountField: entity.ofAccount ? "account" : "id",
    };
    plans.set(entity, p);
  }
  return p;
}

/**
 * Validates one JSON record of `entity`. Returns its cells, or the problems
 * found, each naming the field.
 */
export function validateRecord(entity: Entity, raw: unknown, where: Where): Validated | Issue[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return [{ record: where.record, line: where.line, field: "", message: "expected a JSON object" }];
  }
  const plan = planOf(entity);
  const input = raw as Record<string, unknown>;
  const parsed = entity.schema.safeParse(input);
  if (!parsed.success) {
    return describeFailure(plan, input, parsed.error.issues, { record: where.record, line: where.line });
  }
  const value = parsed.data;
  const cells: Cell[] = new Array(plan.names.length);
  for (let i = 0; i < plan.names.length; i++) cells[i] = plan.toCell[i]!(value[plan.names[i]!]);
  if (entity.derived) for (const d of entity.derived) cells.push(d.compute(value));
  const key =
    plan.keyIdx.length === 1
      ? (cells[plan.keyIdx[0]!] ?? "")
      : plan.keyIdx.map((i) => cells[i] ?? "").join("\u0000");
  return { cells, key, account: String(value[plan.accountField]) };
}

function describeFailure(
  plan: Plan,
  input: Record<string, unknown>,
  zodIssues: readonly { code: string; path: PropertyKey[]; message: string; keys?: string[] }[],
  where: Where,
): Issue[] {
  const issues: Issue[] = [];
  const missing = new Set<string>();
  for (const name of plan.required) {
    if (isBlank(input[name])) {
      missing.add(name);
      issues.push({ ...where, field: name, message: "is required" });
    }
  }
  for (const iss of zodIssues) {
    if (iss.code === "unrecognized_keys") {
      for (const k of iss.keys ?? []) issues.push({ ...where, field: k, message: "unknown field" });
      continue;
    }
    const field = iss.path.map(String).join(".");
    if (!missing.has(String(iss.path[0] ?? ""))) issues.push({ ...where, field, message: iss.message });
  }
  return issues;
}

/**
 * Turns one CSV row into the JSON record the schema expects: an empty cell is
 * an absent field; numbers, booleans, lists and objects are read from their
 * text. Problems name the column.
 */
export function csvToRecord(
  entity: Entity,
  columns: readonly { index: number; name: string }[],
  row: readonly string[],
  where: Where,
): { record: Record<string, unknown>; issues: Issue[] } {
  const record: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const { index, name } of columns) {
    const cell = row[index];
    if (cell === undefined || cell === "") continue;
    try {
      record[name] = entity.fields[name]!.field.fromCsv(cell);
    } catch (err) {
      issues.push({ ...where, field: name, message: (err as Error).message });
    }
  }
  return { record, issues };
}
