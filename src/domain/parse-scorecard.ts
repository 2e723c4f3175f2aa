import {
  type ConfigError,
  formatConfigErrors,
  type PathError,
  parseObject,
  parseYaml,
  validateWith,
} from "./config-parse.js";
import {
  makeScorecardSchema,
  type Scorecard,
  type ScorecardSchemaOptions,
  scorecardSchema,
} from "./scorecard-schema.js";

/**
 * One validation error. `path` is formatted like `categories[1].measures[0].scale.best`
 * ("" for the document itself); `line`/`column` (1-based) are set for YAML input.
 */
export type ScorecardError = ConfigError;

export type ParseScorecardResult =
  | { ok: true; scorecard: Scorecard }
  | { ok: false; errors: ScorecardError[] };

function validate(options: ScorecardSchemaOptions) {
  const schema = options.knownMetrics === undefined ? scorecardSchema : makeScorecardSchema(options);
  return (input: unknown): { value: Scorecard } | { errors: PathError[] } => validateWith(schema, input);
}

function asScorecard(
  r: { ok: true; value: Scorecard } | { ok: false; errors: ConfigError[] },
): ParseScorecardResult {
  return r.ok ? { ok: true, scorecard: r.value } : r;
}

/**
 * Validates a scorecard (already parsed from YAML or JSON). Returns every error
 * found, each with its path, or the scorecard with defaults filled in.
 */
export function parseScorecard(input: unknown, options: ScorecardSchemaOptions = {}): ParseScorecardResult {
  return asScorecard(parseObject(validate(options), input));
}

/**
 * Parses scorecard YAML and validates it. YAML syntax errors come back with their
 * line and column (and in the message); validation errors carry the line of the
 * offending value (or of its nearest existing parent).
 */
export function parseScorecardYaml(text: string, options: ScorecardSchemaOptions = {}): ParseScorecardResult {
  return asScorecard(parseYaml(text, validate(options), "a scorecard"));
}

/** One line per error, e.g. `line 12: categories[0].weight: must be a positive number`. */
export const formatScorecardErrors = formatConfigErrors;
