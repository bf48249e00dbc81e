import type { Shape } from '@strata/engine-api';
import { OpError, fmtShape } from './errors.js';

/**
 * NumPy broadcasting of two shapes; throws naming the op and both shapes when they don't broadcast.
 *
 * @example
 * broadcastShapes('add', [2, 1, 3], [4, 3]); // [2, 4, 3]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape, names: [string, string] = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new OpError(op, names[1], `shapes ${fmtShape(a)} and ${fmtShape(b)}`,
        `must broadcast with '${names[0]}' (each trailing dimension equal or 1; dimension ${i} is ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Resolves one possibly negative axis against a rank, throwing naming the op when out of range.
 *
 * @example
 * normalizeAxis('sum', -1, 3); // 2
 */
export function normalizeAxis(op: string, axis: number, rank: number, argument = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const valid = rank === 0 ? 'absent: a scalar has no axes' : `an integer in [${-rank}, ${rank - 1}] for a rank-${rank} tensor`;
    throw new OpError(op, argument, String(axis), `must be ${valid}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves `axis` (one, several, or all when undefined) to sorted unique non-negative axes.
 *
 * @example
 * normalizeAxes('sum', [-1, 0], 3); // [0, 2]
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const unique = [...new Set(out)].sort((x, y) => x - y);
  if (unique.length !== out.length) throw new OpError(op, 'axis', `[${list.join(', ')}]`, 'must not repeat an axis');
  return unique;
}

/**
 * True when two shapes are equal.
 *
 * @example
 * shapesEqual([2, 3], [2, 3]); // true
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The shape left after reducing `axes`, keeping them as 1 when `keepDims`.
 *
 * @example
 * reducedShape([2, 3, 4], [1], false); // [2, 4]
 */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * Checks that a shape is a list of non-negative integers, naming the op and argument otherwise.
 *
 * @example
 * assertShape('zeros', 'shape', [2, 3]);
 */
export function assertShape(op: string, argument: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new OpError(op, argument, JSON.stringify(shape), 'must be an array of non-negative integers');
  }
}
