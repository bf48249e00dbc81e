// Row-major index arithmetic for the reference loops of the layout, reduction and scan cases:
// plain float64 host code, independent of the ops under test.

/**
 * Number of elements of a shape.
 *
 * @example
 * sizeOfShape([2, 3]); // 6
 */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * The multi-index of flat position `flat` in `shape`.
 *
 * @example
 * unravel(5, [2, 3]); // [1, 2]
 */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

/**
 * The flat position of a multi-index in `shape`.
 *
 * @example
 * ravel([1, 2], [2, 3]); // 5
 */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!;
  return flat;
}

/**
 * Builds the values of a tensor of `shape` element by element from each multi-index.
 *
 * @example
 * build([2, 2], ([i, j]) => 10 * i + j); // [0, 1, 10, 11]
 */
export function build(shape: readonly number[], at: (idx: number[]) => number): number[] {
  const n = sizeOfShape(shape);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = at(unravel(i, shape));
  return out;
}
