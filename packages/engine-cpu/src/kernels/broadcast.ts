import type { Shape } from '@strata/engine-api';

/**
 * How several inputs broadcast NumPy-style onto an output, reduced to the fewest dims: size-1
 * output dims are dropped and neighbouring dims that every input walks contiguously are merged.
 * Kernels then run one tight loop per row of `inner` elements, with each input advancing by
 * `innerStrides[k]` (0 where it broadcasts, 1 otherwise), and step rows with a `RowCursor`.
 */
export interface BroadcastPlan {
  /** Output elements in all. */
  readonly size: number;
  /** Length of the innermost (merged) dim; rows hold this many elements. */
  readonly inner: number;
  /** Per input: stride along the innermost dim (0 or 1). */
  readonly innerStrides: readonly number[];
  /** Sizes of the outer dims, outermost first. */
  readonly outerShape: readonly number[];
  /** Per input, per outer dim: element stride (0 where the input broadcasts). */
  readonly outerStrides: readonly (readonly number[])[];
}

/**
 * Plans the broadcast of `inputs` onto `out` (inputs may have lower rank; trailing dims align).
 *
 * @example
 * const plan = planBroadcast([2, 3], [[2, 3], [3]]);
 * // plan.inner === 3, plan.innerStrides === [1, 1], plan.outerStrides === [[3], [0]]
 */
export function planBroadcast(out: Shape, inputs: readonly Shape[]): BroadcastPlan {
  const rank = out.length;
  const n = inputs.length;
  // Per input, full-rank strides with 0 for broadcast dims.
  const strides: number[][] = inputs.map((shape) => {
    const s = new Array<number>(rank).fill(0);
    let step = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const od = d + rank - shape.length;
      s[od] = shape[d] === 1 ? 0 : step;
      step *= shape[d]!;
    }
    return s;
  });
  let size = 1;
  for (const d of out) size *= d;

  // Merge from the innermost dim outwards: dim d joins the block after it when every input is
  // contiguous across the boundary (or broadcasts over both).
  const dims: number[] = [];
  const dimStrides: number[][] = inputs.map(() => []);
  for (let d = rank - 1; d >= 0; d--) {
    const len = out[d]!;
    if (len === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; k < n && mergeable; k++) {
      const inner = dimStrides[k]![last]!;
      const here = strides[k]![d]!;
      mergeable = here === inner * dims[last]!;
    }
    if (mergeable) {
      dims[last]! *= len;
    } else {
      dims.push(len);
      for (let k = 0; k < n; k++) dimStrides[k]!.push(strides[k]![d]!);
    }
  }
  if (dims.length === 0) {
    return { size, inner: 1, innerStrides: inputs.map(() => 0), outerShape: [], outerStrides: inputs.map(() => []) };
  }
  // `dims` is innermost first; flip to outermost first.
  dims.reverse();
  for (const s of dimStrides) s.reverse();
  const inner = dims[dims.length - 1]!;
  return {
    size,
    inner,
    innerStrides: dimStrides.map((s) => s[s.length - 1]!),
    outerShape: dims.slice(0, -1),
    outerStrides: dimStrides.map((s) => s.slice(0, -1)),
  };
}

/**
 * Walks the rows of a `BroadcastPlan`: `offsets[k]` is where input `k`'s current row starts.
 * One allocation per kernel call, none per row.
 *
 * @example
 * const cursor = new RowCursor(plan);
 * for (let r = 0, o = 0; o < plan.size; r++, o += plan.inner) {
 *   // ... use cursor.offsets ...
 *   cursor.next();
 * }
 */
export class RowCursor {
  readonly offsets: Float64Array;
  private readonly counter: Int32Array;
  private readonly shape: readonly number[];
  private readonly strides: readonly (readonly number[])[];

  constructor(plan: BroadcastPlan) {
    this.offsets = new Float64Array(plan.innerStrides.length);
    this.counter = new Int32Array(plan.outerShape.length);
    this.shape = plan.outerShape;
    this.strides = plan.outerStrides;
  }

  /** Advances to the next row (row-major over the outer dims). */
  next(): void {
    const { offsets, counter, shape, strides } = this;
    for (let d = shape.length - 1; d >= 0; d--) {
      counter[d]!++;
      if (counter[d]! < shape[d]!) {
        for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![d]!;
        return;
      }
      counter[d] = 0;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![d]! * (shape[d]! - 1);
    }
  }
}
