import { METRIC_LABELS, METRIC_NAMES } from "../../../src/domain/metric-names";
import { BAND_STYLE } from "../lib/bands";
import { words } from "../lib/format";
import type { Path } from "../lib/paths";
import { Errors, type FieldContext, NumberField, SelectField, TextField } from "./scorecard-fields";

// The draft is the scorecard as JSON, where a number field may hold text while it is being typed.
type Draft = Record<string, unknown>;
type Json = Record<string, unknown>;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
const share = (part: unknown, all: number) => (all > 0 ? `${Math.round((num(part) / all) * 100)}%` : "—");

const NEW_SCALES: Record<string, Json> = {
  linear: { type: "linear", worst: 0, best: 100 },
  steps: {
    type: "steps",
    steps: [
      { min: 0, points: 0 },
      { min: 1, points: 100 },
    ],
  },
  percentile: { type: "percentile", direction: "higher_is_better" },
};

export function MetricOptions() {
  return (
    <datalist id="metric-names">
      {METRIC_NAMES.map((m) => (
        <option key={m} value={m}>
          {METRIC_LABELS[m]}
        </option>
      ))}
    </datalist>
  );
}

function StepsEditor({ ctx, path, scale }: { ctx: FieldContext; path: Path; scale: Json }) {
  const steps = (Array.isArray(scale.steps) ? scale.steps : []) as Json[];
  const kind = steps[0] && "max" in steps[0] ? "max" : "min";
  const switchKind = (k: string) =>
    ctx.setValue(
      [...path, "steps"],
      steps.map((s) => ({ [k]: s.min ?? s.max ?? 0, points: s.points })),
    );
  return (
    <div className="steps">
      <SelectField
        ctx={ctx}
        path={[...path, "kind"]}
        label="Steps"
        hideLabel
        value={kind}
        onChange={switchKind}
        options={[
          { value: "min", label: "at least (higher is better)" },
          { value: "max", label: "at most (lower is better)" },
        ]}
      />
      {steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps have no identity but their place
        <div className="step" key={i}>
          <span className="muted">{kind === "min" ? "≥" : "≤"}</span>
          <NumberField
            ctx={ctx}
            path={[...path, "steps", i, kind]}
            value={s[kind]}
            label={`Step ${i + 1} ${kind}`}
            hideLabel
            width="4.5rem"
          />
          <span className="muted">→</span>
          <NumberField
            ctx={ctx}
            path={[...path, "steps", i, "points"]}
            value={s.points}
            label={`Step ${i + 1} points`}
            hideLabel
            width="3.5rem"
            suffix={<span className="muted"> pts</span>}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove step ${i + 1}`}
            onClick={() =>
              ctx.setValue(
                [...path, "steps"],
                steps.filter((_, k) => k !== i),
              )
            }
          >
            ×
          </button>
          <Errors ctx={ctx} path={[...path, "steps", i]} />
        </div>
      ))}
      <Errors ctx={ctx} path={[...path, "steps"]} />
      <button
        type="button"
        className="button link small"
        onClick={() => ctx.setValue([...path, "steps"], [...steps, { [kind]: 0, points: 0 }])}
      >
        + step
      </button>
    </div>
  );
}

function ScaleEditor({ ctx, path, scale }: { ctx: FieldContext; path: Path; scale: Json }) {
  const type = String(scale.type ?? "linear");
  return (
    <div className="scale">
      <SelectField
        ctx={ctx}
        path={[...path, "type"]}
        label="Scale"
        hideLabel
        value={type}
        onChange={(t) => ctx.setValue(path, NEW_SCALES[t])}
        options={[
          { value: "linear", label: "Linear" },
          { value: "steps", label: "Steps" },
          { value: "percentile", label: "Percentile in segment" },
        ]}
      />
      {type === "linear" && (
        <span className="linear">
          <NumberField
            ctx={ctx}
            path={[...path, "worst"]}
            value={scale.worst}
            label="0 points at"
            width="4.5rem"
          />
          <NumberField
            ctx={ctx}
            path={[...path, "best"]}
            value={scale.best}
            label="100 points at"
            width="4.5rem"
          />
        </span>
      )}
      {type === "steps" && <StepsEditor ctx={ctx} path={path} scale={scale} />}
      {type === "percentile" && (
        <SelectField
          ctx={ctx}
          path={[...path, "direction"]}
          label="Direction"
          hideLabel
          value={String(scale.direction ?? "higher_is_better")}
          options={[
            { value: "higher_is_better", label: "higher is better" },
            { value: "lower_is_better", label: "lower is better" },
          ]}
        />
      )}
      <Errors ctx={ctx} path={path} />
    </div>
  );
}

function CategoryEditor({ ctx, c, i, total }: { ctx: FieldContext; c: Json; i: number; total: number }) {
  const measures = (Array.isArray(c.measures) ? c.measures : []) as Json[];
  const inCategory = measures.reduce((s, m) => s + num(m.weight ?? 1), 0);
  const path: Path = ["categories", i];
  return (
    <fieldset className="category-edit" data-testid={`category-${String(c.key)}`}>
      <legend>
        {String(c.name || c.key)} <code>{String(c.key)}</code>
      </legend>
      <div className="category-fields">
        <TextField ctx={ctx} path={[...path, "name"]} value={c.name} label="Name" />
        <NumberField
          ctx={ctx}
          path={[...path, "weight"]}
          value={c.weight}
          label="Weight"
          width="5rem"
          suffix={<span className="muted share">{share(c.weight, total)} of the score</span>}
        />
      </div>
      <Errors ctx={ctx} path={path} />
      <table className="measures-edit">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Weight</th>
            <th scope="col">Scale</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {measures.map((m, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a measure is edited in place; its metric may be renamed
            <tr key={j}>
              <td>
                <TextField
                  ctx={ctx}
                  path={[...path, "measures", j, "metric"]}
                  value={m.metric}
                  label={`Metric ${j + 1}`}
                  hideLabel
                  list="metric-names"
                  width="15rem"
                />
                <div className="muted small">
                  {typeof m.metric === "string"
                    ? ((METRIC_LABELS as Record<string, string>)[m.metric] ?? words(m.metric))
                    : ""}
                </div>
                <Errors ctx={ctx} path={[...path, "measures", j]} />
              </td>
              <td>
                <NumberField
                  ctx={ctx}
                  path={[...path, "measures", j, "weight"]}
                  value={m.weight}
                  label={`Weight of ${String(m.metric)}`}
                  hideLabel
                  width="3.5rem"
                  suffix={<span className="muted share">{share(m.weight ?? 1, inCategory)}</span>}
                />
              </td>
              <td>
                <ScaleEditor
                  ctx={ctx}
                  path={[...path, "measures", j, "scale"]}
                  scale={(m.scale ?? {}) as Json}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${String(m.metric)}`}
                  onClick={() =>
                    ctx.setValue(
                      [...path, "measures"],
                      measures.filter((_, k) => k !== j),
                    )
                  }
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Errors ctx={ctx} path={[...path, "measures"]} />
      <button
        type="button"
        className="button link small"
        onClick={() =>
          ctx.setValue(
            [...path, "measures"],
            [...measures, { metric: "", weight: 1, scale: NEW_SCALES.linear }],
          )
        }
      >
        + measure
      </button>
    </fieldset>
  );
}

/** The whole scorecard as a form: bands, then each category with its measures and scales. */
export function ScorecardForm({ ctx, draft }: { ctx: FieldContext; draft: Draft }) {
  const categories = (Array.isArray(draft.categories) ? draft.categories : []) as Json[];
  const bands = (draft.bands ?? {}) as Json;
  const total = categories.reduce((s, c) => s + num(c.weight), 0);
  return (
    <div className="scorecard-form">
      <MetricOptions />
      <div className="form-row">
        <TextField ctx={ctx} path={["name"]} value={draft.name} label="Scorecard name" width="20rem" />
        <NumberField
          ctx={ctx}
          path={["bands", "healthy"]}
          value={bands.healthy}
          label={`${BAND_STYLE.healthy.label} from`}
          width="4rem"
        />
        <NumberField
          ctx={ctx}
          path={["bands", "watch"]}
          value={bands.watch}
          label={`${BAND_STYLE.watch.label} from`}
          width="4rem"
        />
        <span className="muted small">
          Below watch is at risk; a critical signal makes an account critical whatever its score.
        </span>
      </div>
      <Errors ctx={ctx} path={["bands"]} />
      <Errors ctx={ctx} path={["categories"]} />
      {categories.map((c, i) => (
        <CategoryEditor key={String(c.key ?? i)} ctx={ctx} c={c} i={i} total={total} />
      ))}
      <div className="form-row muted small">
        Critical signals: {((draft.critical_signals ?? []) as string[]).map(words).join(", ") || "none"}. Core
        features: {((draft.core_features ?? []) as string[]).join(", ") || "none"}. (Edit these in the
        scorecard file.)
      </div>
    </div>
  );
}
