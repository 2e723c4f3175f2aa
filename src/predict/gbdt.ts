import type { FeatureMatrix, Labels } from "./dataset.js";
import { binColumn, binEdges, MISSING_BIN } from "./gbdt-bins.js";
import { addTreeMargins, type GbdtModelTrees, type GbdtTree } from "./gbdt-trees.js";
import { sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";

/**
 * Gradient-boosted decision trees for binary log-loss, histogram-based:
 * features are binned once (quantiles, ≤ maxBins per feature, missing in its
 * own bin with a learned default direction), each tree grows depth-first to
 * `maxDepth` from per-node gradient/hessian histograms (the larger child's
 * histogram is the parent's minus the smaller child's), on a row subsample
 * drawn with the seeded generator. Split gain and leaf values follow the
 * second-order (Newton) formulation with an L2 penalty on leaf values:
 *   leaf = −G / (H + l2) · learningRate,  gain = G_L²/(H_L+l2) + G_R²/(H_R+l2) − G²/(H+l2).
 */

export interface GbdtOptions {
  trees?: number;
  learningRate?: number;
  maxDepth?: number;
  /** Fewest training rows (of the subsample) in a leaf. */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values. */
  l2?: number;
  /** Share of rows each tree is grown on. */
  subsample?: number;
  /** Bins per feature, the missing bin included (≤ 255). */
  maxBins?: number;
  /** Smallest gain worth a split. */
  minGain?: number;
  seed?: number;
}

export const GBDT_DEFAULTS: Required<GbdtOptions> = {
  trees: 100,
  learningRate: 0.1,
  maxDepth: 4,
  minSamplesLeaf: 20,
  l2: 1,
  subsample: 0.8,
  maxBins: 64,
  minGain: 0,
  seed: 1,
};

export interface GbdtParams extends GbdtModelTrees {
  options: Required<GbdtOptions>;
}

const STRIDE = 3; // gradient, hessian, count per bin
const MIN_HESSIAN = 1e-3;

interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  gl: number;
  hl: number;
}

class TreeGrower {
  readonly tree: GbdtTree = { feature: [], threshold: [], missing_left: [], left: [], right: [], value: [] };
  private readonly pool: Float64Array[] = [];
  private readonly histSize: number;
  private readonly tmpRows: Int32Array;
  private readonly tmpG: Float64Array;
  private readonly tmpH: Float64Array;

  constructor(
    private readonly o: Required<GbdtOptions>,
    /** Row-major histogram offsets (row r, feature f at r × features + f): (f × maxBins + bin) × 3. */
    private readonly offsets: Uint16Array | Uint32Array,
    /** The same bins by column, for partitioning rows. */
    private readonly columnBins: readonly Uint8Array[],
    private readonly features: number,
    private readonly edges: readonly Float64Array[],
    private readonly rows: Int32Array,
    private readonly g: Float64Array,
    private readonly h: Float64Array,
  ) {
    this.histSize = features * o.maxBins * STRIDE;
    this.tmpRows = new Int32Array(rows.length);
    this.tmpG = new Float64Array(rows.length);
    this.tmpH = new Float64Array(rows.length);
  }

  /** Grows a fresh tree on positions [0, m) of the row buffer. */
  grow(m: number): GbdtTree {
    for (const key of Object.keys(this.tree) as (keyof GbdtTree)[]) this.tree[key].length = 0;
    const hist = this.acquire();
    this.fill(hist, 0, m);
    let gs = 0;
    let hs = 0;
    for (let k = 0; k < m; k++) {
      gs += this.g[k] as number;
      hs += this.h[k] as number;
    }
    this.node(this.addNode(), 0, m, 0, hist, gs, hs);
    return structuredClone(this.tree);
  }

  private acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histSize);
  }

  private addNode(): number {
    const t = this.tree;
    t.feature.push(-1);
    t.threshold.push(0);
    t.missing_left.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(0);
    return t.value.length - 1;
  }

  /**
   * Sums gradient, hessian and count per (feature, bin) over positions [start, end).
   * Unrolled by four features: independent updates keep the CPU busy.
   */
  private fill(hist: Float64Array, start: number, end: number) {
    hist.fill(0);
    const { rows, g, h, offsets } = this;
    const p = this.features;
    const p4 = p - (p % 4);
    for (let k = start; k < end; k++) {
      const row = (rows[k] as number) * p;
      const gk = g[k] as number;
      const hk = h[k] as number;
      let f = 0;
      for (; f < p4; f += 4) {
        const o0 = offsets[row + f] as number;
        const o1 = offsets[row + f + 1] as number;
        const o2 = offsets[row + f + 2] as number;
        const o3 = offsets[row + f + 3] as number;
        hist[o0] = (hist[o0] as number) + gk;
        hist[o1] = (hist[o1] as number) + gk;
        hist[o2] = (hist[o2] as number) + gk;
        hist[o3] = (hist[o3] as number) + gk;
        hist[o0 + 1] = (hist[o0 + 1] as number) + hk;
        hist[o1 + 1] = (hist[o1 + 1] as number) + hk;
        hist[o2 + 1] = (hist[o2 + 1] as number) + hk;
        hist[o3 + 1] = (hist[o3 + 1] as number) + hk;
        hist[o0 + 2] = (hist[o0 + 2] as number) + 1;
        hist[o1 + 2] = (hist[o1 + 2] as number) + 1;
        hist[o2 + 2] = (hist[o2 + 2] as number) + 1;
        hist[o3 + 2] = (hist[o3 + 2] as number) + 1;
      }
      for (; f < p; f++) {
        const o = offsets[row + f] as number;
        hist[o] = (hist[o] as number) + gk;
        hist[o + 1] = (hist[o + 1] as number) + hk;
        hist[o + 2] = (hist[o + 2] as number) + 1;
      }
    }
  }

  /** Sets node `id`'s value and splits it when it can; `hist` is undefined for a node that must be a leaf. */
  private node(
    id: number,
    start: number,
    end: number,
    depth: number,
    hist: Float64Array | undefined,
    gs: number,
    hs: number,
  ) {
    const { o, tree } = this;
    tree.value[id] = (-gs / (hs + o.l2)) * o.learningRate;
    if (!hist) return;
    const split =
      depth < o.maxDepth && end - start >= 2 * o.minSamplesLeaf
        ? this.bestSplit(hist, gs, hs, end - start)
        : undefined;
    if (!split) {
      this.pool.push(hist);
      return;
    }
    const edges = this.edges[split.feature] as Float64Array;
    tree.feature[id] = split.feature;
    tree.threshold[id] = split.bin - 1 < edges.length ? (edges[split.bin - 1] as number) : Number.MAX_VALUE;
    tree.missing_left[id] = split.missingLeft ? 1 : 0;
    const left = this.addNode();
    const right = this.addNode();
    tree.left[id] = left;
    tree.right[id] = right;
    if (depth + 1 >= o.maxDepth) {
      // The children are leaves: their sums are known, no rows to partition, no histograms.
      this.pool.push(hist);
      this.node(left, 0, 0, depth + 1, undefined, split.gl, split.hl);
      this.node(right, 0, 0, depth + 1, undefined, gs - split.gl, hs - split.hl);
      return;
    }
    const mid = this.partition(start, end, split);
    const small = this.acquire();
    const leftSmaller = mid - start <= end - mid;
    if (leftSmaller) this.fill(small, start, mid);
    else this.fill(small, mid, end);
    for (let i = 0; i < hist.length; i++) hist[i] = (hist[i] as number) - (small[i] as number);
    const [leftHist, rightHist] = leftSmaller ? [small, hist] : [hist, small];
    this.node(left, start, mid, depth + 1, leftHist, split.gl, split.hl);
    this.node(right, mid, end, depth + 1, rightHist, gs - split.gl, hs - split.hl);
  }

  private bestSplit(hist: Float64Array, gs: number, hs: number, count: number): Split | undefined {
    const { l2, minSamplesLeaf, minGain, maxBins } = this.o;
    const parent = (gs * gs) / (hs + l2);
    let best: Split | undefined;
    const consider = (
      feature: number,
      bin: number,
      missingLeft: boolean,
      gl: number,
      hl: number,
      cl: number,
    ) => {
      const gr = gs - gl;
      const hr = hs - hl;
      if (cl < minSamplesLeaf || count - cl < minSamplesLeaf || hl < MIN_HESSIAN || hr < MIN_HESSIAN) return;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > Math.max(minGain, 1e-12) && (best === undefined || gain > best.gain)) {
        best = { feature, bin, missingLeft, gain, gl, hl };
      }
    };
    for (let f = 0; f < this.features; f++) {
      const base = f * maxBins * STRIDE;
      const valueBins = (this.edges[f] as Float64Array).length + 1;
      const gm = hist[base] as number;
      const hm = hist[base + 1] as number;
      const cm = hist[base + 2] as number;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let bin = 1; bin <= valueBins; bin++) {
        const o = base + bin * STRIDE;
        gl += hist[o] as number;
        hl += hist[o + 1] as number;
        cl += hist[o + 2] as number;
        if (bin < valueBins) consider(f, bin, false, gl, hl, cl);
        if (cm > 0 && cl > 0) consider(f, bin, true, gl + gm, hl + hm, cl + cm);
      }
      // bin === valueBins with missing left is "present vs missing"; with missing right it is no split.
      if (cm > 0 && cl > 0) consider(f, valueBins, false, gl, hl, cl);
    }
    return best;
  }

  /**
   * Stable partition of [start, end) into left rows then right rows; returns the
   * boundary. Branch-free: each row is written to both places and only the
   * right cursor advances (the left cursor never passes the read position).
   */
  private partition(start: number, end: number, split: Split): number {
    const { rows, g, h, tmpRows, tmpG, tmpH } = this;
    const column = this.columnBins[split.feature] as Uint8Array;
    const bin = split.bin;
    const missing = split.missingLeft ? 1 : 0;
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const row = rows[k] as number;
      const gk = g[k] as number;
      const hk = h[k] as number;
      const b = column[row] as number;
      const left = b === MISSING_BIN ? missing : b <= bin ? 1 : 0;
      rows[l] = row;
      g[l] = gk;
      h[l] = hk;
      tmpRows[r] = row;
      tmpG[r] = gk;
      tmpH[r] = hk;
      l += left;
      r += 1 - left;
    }
    rows.set(tmpRows.subarray(0, r), l);
    g.set(tmpG.subarray(0, r), l);
    h.set(tmpH.subarray(0, r), l);
    return l;
  }
}

/** Fits the model on every row of `x` (NaN = missing) against labels `y`. Deterministic for `seed`. */
/** Throws a RangeError naming the first option out of its range. */
function checkOptions(o: Required<GbdtOptions>): void {
  const bad = (name: string, rule: string, value: number) => {
    throw new RangeError(`gbdt option ${name} must be ${rule}, got ${value}`);
  };
  if (!(Number.isInteger(o.trees) && o.trees >= 0)) bad("trees", "a whole number ≥ 0", o.trees);
  if (!(o.learningRate > 0 && o.learningRate <= 1)) bad("learningRate", "in (0, 1]", o.learningRate);
  if (!(Number.isInteger(o.maxDepth) && o.maxDepth >= 1)) bad("maxDepth", "a whole number ≥ 1", o.maxDepth);
  if (!(o.minSamplesLeaf >= 1)) bad("minSamplesLeaf", "≥ 1", o.minSamplesLeaf);
  if (!(o.l2 >= 0)) bad("l2", "≥ 0", o.l2);
  if (!(o.subsample > 0 && o.subsample <= 1)) bad("subsample", "in (0, 1]", o.subsample);
}

export function fitGbdt(x: FeatureMatrix, y: Labels, options: GbdtOptions = {}): GbdtParams {
  const o: Required<GbdtOptions> = { ...GBDT_DEFAULTS, ...options };
  checkOptions(o);
  o.maxBins = Math.max(3, Math.min(255, o.maxBins));
  const n = x.rows;
  const edges = x.columns.map((column) => binEdges(column, o.maxBins));
  const p = x.columns.length;
  const columnBins = x.columns.map((column, f) => binColumn(column, edges[f] as Float64Array));
  const offsets = p * o.maxBins * STRIDE <= 65_536 ? new Uint16Array(n * p) : new Uint32Array(n * p);
  columnBins.forEach((bins, f) => {
    const base = f * o.maxBins;
    for (let i = 0; i < n; i++) offsets[i * p + f] = (base + (bins[i] as number)) * STRIDE;
  });
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = Math.min(Math.max(positives / Math.max(n, 1), 1e-6), 1 - 1e-6);
  const base = Math.log(rate / (1 - rate));
  const margins = new Float64Array(n).fill(base);
  const rows = new Int32Array(n);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const grower = new TreeGrower(o, offsets, columnBins, p, edges, rows, g, h);
  const random = seededRandom(o.seed, 7);
  const trees: GbdtTree[] = [];
  for (let t = 0; t < o.trees; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (o.subsample < 1 && random.next() >= o.subsample) continue;
      const p = sigmoid(margins[i] as number);
      rows[m] = i;
      g[m] = p - (y[i] as number);
      h[m] = Math.max(p * (1 - p), 1e-16);
      m++;
    }
    if (m === 0) continue;
    const tree = grower.grow(m);
    trees.push(tree);
    addTreeMargins([tree], x.columns, margins);
  }
  return { names: [...x.names], base, trees, options: o };
}
