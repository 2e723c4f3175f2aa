import { alignColumns, type FeatureMatrix } from "./dataset.js";

/**
 * Trees of a fitted gradient-boosted model, stored as plain arrays (JSON as is),
 * and what is computed from them: margins (log-odds) and per-row "Saabas" path
 * attributions.
 */

export interface GbdtTree {
  /** Split feature of each node (an index into the model's names); -1 for a leaf. */
  feature: number[];
  /** A present value v goes left when v ≤ threshold. */
  threshold: number[];
  /** 1 when missing (NaN, non-finite) values go left, 0 when right. */
  missing_left: number[];
  left: number[];
  right: number[];
  /**
   * Each node's value in log-odds (learning rate applied): a leaf's is its
   * prediction; an inner node's is what it would predict as a leaf, used to
   * attribute the path's changes to the split features.
   */
  value: number[];
}

/** Adds each tree's leaf value to `margins`, for every row of the aligned columns. */
export function addTreeMargins(
  trees: readonly GbdtTree[],
  columns: readonly Float64Array[],
  margins: Float64Array,
) {
  const n = margins.length;
  for (const tree of trees) {
    const { feature, threshold, left, right, value } = tree;
    const missingLeft = tree.missing_left;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const v = (columns[f] as Float64Array)[i] as number;
        const goLeft = Number.isFinite(v) ? v <= (threshold[node] as number) : missingLeft[node] === 1;
        node = (goLeft ? left[node] : right[node]) as number;
        f = feature[node] as number;
      }
      margins[i] = (margins[i] as number) + (value[node] as number);
    }
  }
}

export interface GbdtModelTrees {
  names: string[];
  /** Log-odds of the training base rate: the starting margin. */
  base: number;
  trees: GbdtTree[];
}

/** Log-odds for every row of `x` (columns matched by name). */
export function gbdtMargins(model: GbdtModelTrees, x: FeatureMatrix): Float64Array {
  const margins = new Float64Array(x.rows).fill(model.base);
  addTreeMargins(model.trees, alignColumns(x, model.names), margins);
  return margins;
}

/**
 * Saabas path attribution for one row: along each tree's decision path, the
 * change in node value at every split is credited to the split's feature.
 * `bias` (base + every root's value) plus the contributions is the row's margin.
 */
export function gbdtContributions(
  model: GbdtModelTrees,
  x: FeatureMatrix,
  row: number,
): { bias: number; contributions: Float64Array } {
  const columns = alignColumns(x, model.names);
  const contributions = new Float64Array(model.names.length);
  let bias = model.base;
  for (const tree of model.trees) {
    let node = 0;
    bias += tree.value[0] as number;
    let f = tree.feature[0] as number;
    while (f >= 0) {
      const v = (columns[f] as Float64Array)[row] as number;
      const goLeft = Number.isFinite(v)
        ? v <= (tree.threshold[node] as number)
        : tree.missing_left[node] === 1;
      const child = (goLeft ? tree.left[node] : tree.right[node]) as number;
      contributions[f] =
        (contributions[f] as number) + (tree.value[child] as number) - (tree.value[node] as number);
      node = child;
      f = tree.feature[node] as number;
    }
  }
  return { bias, contributions };
}
