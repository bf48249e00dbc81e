import type { DType, RandomDistribution } from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';
import { convert, makeTensor, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { defineOp } from './define-op.js';
import { tidy } from '../memory.js';
import { floor } from './unary.js';
import { cast } from './where.js';
import { assertShape } from '../util/shape.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * fill([2, 2], 7); // [[7, 7], [7, 7]]
 */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return fillAs('fill', shape, value, dtype);
}

/** `fill` that names the calling op (`zeros`, `ones`) in its errors. */
function fillAs(op: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  assertShape(op, 'shape', shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new OpError(op, 'value', typeof value, 'must be a number');
  if (!DTYPES.includes(dtype)) throw new OpError(op, 'dtype', JSON.stringify(dtype), `must be one of ${DTYPES.join(', ')}`);
  return runKernel1('fill', [], { shape, dtype }, (e) => e.fill({ shape, dtype }, Number(value)));
}

/**
 * A tensor of zeros.
 *
 * @example
 * zeros([2, 3]);
 */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fillAs('zeros', shape, 0, dtype);
}

/**
 * A tensor of ones.
 *
 * @example
 * ones([3], 'int32');
 */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fillAs('ones', shape, 1, dtype);
}

/**
 * Zeros with the shape and dtype of `x`.
 *
 * @example
 * zerosLike(x);
 */
export const zerosLike = defineOp('zerosLike', (x: TensorLike): Tensor => {
  const $x = convert(x, 'x', 'zerosLike');
  return zeros($x.shape, $x.dtype);
});

/**
 * Ones with the shape and dtype of `x`.
 *
 * @example
 * onesLike(x);
 */
export const onesLike = defineOp('onesLike', (x: TensorLike): Tensor => {
  const $x = convert(x, 'x', 'onesLike');
  return ones($x.shape, $x.dtype);
});

/**
 * `[start, start + step, ...)` up to `stop` (exclusive). With one argument, `range(n)` is 0..n-1.
 *
 * @example
 * range(0, 5);        // [0, 1, 2, 3, 4]
 * range(1, 2, 0.25);  // [1, 1.25, 1.5, 1.75]
 */
export function range(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new OpError('range', 'step', String(step), 'must be a finite non-zero number');
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new OpError('range', 'start/stop', `${start}, ${stop}`, 'must be finite numbers');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const values = hostArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return makeTensor('range', 'values', values, [n], dtype);
}

/**
 * An identity matrix (`numRows` x `numColumns`, default square), optionally batched.
 *
 * @example
 * eye(3);
 * eye(2, 3, [4]); // shape [4, 2, 3]
 */
export function eye(numRows: number, numColumns = numRows, batchShape: readonly number[] = [], dtype: DType = 'float32'): Tensor {
  assertShape('eye', 'numRows/numColumns', [numRows, numColumns]);
  assertShape('eye', 'batchShape', batchShape);
  const batch = sizeOf(batchShape);
  const values = hostArray(dtype, batch * numRows * numColumns);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++) values[b * numRows * numColumns + i * numColumns + i] = 1;
  }
  return makeTensor('eye', 'values', values, [...batchShape, numRows, numColumns], dtype);
}

/** Options of the random creation ops. */
export interface RandomOptions {
  /** Seed for this call; by default the global seed (`setSeed`, or the config's `seed`) and a fresh stream. */
  seed?: number;
  /** float32 (default); `uniform` also gives int32 (whole numbers in [minval, maxval)). */
  dtype?: DType;
}

/**
 * The random ops take options as an object, or TF.js-style as `(…, dtype, seed)` positionals.
 */
function resolveOptions(op: string, optionsOrDType: RandomOptions | DType | undefined, seed: number | undefined): RandomOptions {
  const options = typeof optionsOrDType === 'string' ? { dtype: optionsOrDType } : { ...(optionsOrDType ?? {}) };
  if (seed !== undefined) options.seed = seed;
  if (options.seed !== undefined && (!Number.isInteger(options.seed) || options.seed < 0)) {
    throw new OpError(op, 'seed', String(options.seed), 'must be a non-negative integer');
  }
  const allowed = op === 'uniform' ? ['float32', 'int32'] : ['float32'];
  if (options.dtype !== undefined && !allowed.includes(options.dtype)) {
    throw new OpError(op, 'dtype', JSON.stringify(options.dtype), `must be ${allowed.join(' or ')}`);
  }
  return options;
}

function randomTensor(op: string, shape: readonly number[], distribution: RandomDistribution, params: Record<string, number>, options: RandomOptions): Tensor {
  assertShape(op, 'shape', shape);
  // An explicit seed pins the numbers (stream 0); otherwise each call takes the next stream, so a
  // program's random tensors are a pure function of the global seed and the order of calls.
  const seed = options.seed ?? runtime.seed;
  const stream = options.seed !== undefined ? 0 : runtime.randomStream++;
  const out = { shape, dtype: 'float32' as const };
  return runKernel1(op, [], out, (e) => e.random(out, { distribution, seed: seed >>> 0, stream: stream >>> 0, ...params }));
}

/**
 * Uniform random values on [minval, maxval), from the seeded counter-based generator. Options may
 * also be given TF.js-style: `uniform(shape, minval, maxval, dtype, seed)`.
 *
 * @example
 * uniform([2, 2], -1, 1, { seed: 7 });
 * uniform([4], 0, 10, 'int32');     // whole numbers 0..9
 */
export function uniform(shape: readonly number[], minval = 0, maxval = 1, options?: RandomOptions | DType, seed?: number): Tensor {
  const opts = resolveOptions('uniform', options, seed);
  if (!(maxval > minval)) throw new OpError('uniform', 'maxval', String(maxval), `must be greater than minval (${minval})`);
  const values = randomTensor('uniform', shape, 'uniform', { low: minval, high: maxval }, opts);
  if (opts.dtype !== 'int32') return values;
  const whole = tidy(() => cast(floor(values), 'int32'));
  values.dispose();
  return whole;
}

/**
 * Normal random values. Options may also be given TF.js-style: `normal(shape, mean, stddev, dtype, seed)`.
 *
 * @example
 * normal([3], 0, 0.05);
 */
export function normal(shape: readonly number[], mean = 0, stddev = 1, options?: RandomOptions | DType, seed?: number): Tensor {
  const opts = resolveOptions('normal', options, seed);
  if (!(stddev >= 0)) throw new OpError('normal', 'stddev', String(stddev), 'must be non-negative');
  return randomTensor('normal', shape, 'normal', { mean, stddev }, opts);
}

/**
 * Normal random values redrawn until within two standard deviations of the mean (as Keras'
 * `truncated_normal` initializer). Options as in `normal`.
 *
 * @example
 * truncatedNormal([64, 32], 0, 0.05);
 */
export function truncatedNormal(shape: readonly number[], mean = 0, stddev = 1, options?: RandomOptions | DType, seed?: number): Tensor {
  const opts = resolveOptions('truncatedNormal', options, seed);
  if (!(stddev >= 0)) throw new OpError('truncatedNormal', 'stddev', String(stddev), 'must be non-negative');
  return randomTensor('truncatedNormal', shape, 'truncatedNormal', { mean, stddev }, opts);
}

/** TF.js's name for `uniform`. */
export const randomUniform = uniform;
/** TF.js's name for `normal`. */
export const randomNormal = normal;

/**
 * A new tensor handle on the same values (buffers are immutable, so nothing is copied).
 *
 * @example
 * const b = clone(a); a.dispose(); // b is still valid
 */
export const clone = defineOp('clone', (x: TensorLike): Tensor => {
  const $x = convert(x, 'x', 'clone');
  return runKernel1('identity', [$x], { shape: $x.shape, dtype: $x.dtype }, (_e, [xi]) => xi!.dataId);
});
