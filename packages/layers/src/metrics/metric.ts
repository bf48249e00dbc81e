import {
  StrataError,
  Tensor,
  Variable,
  cast,
  convert,
  div,
  equal,
  expandDims,
  fmtShape,
  squeeze,
  tidy,
  variable,
  where,
  zeros,
  zerosLike,
  type TensorLike,
} from '@strata/core';
import type { Serializable } from '../registry.js';

/**
 * A stateful metric, accumulated over an epoch as Keras 3 does: `updateState` adds one batch into
 * non-trainable state variables, `result` reads the epoch value off that state, `resetState`
 * zeroes it. Results are never averages of per-batch values: a mean-style metric keeps the sum of
 * weighted values and the sum of weights, a confusion-matrix metric keeps counts.
 *
 * `updateState` is synchronous and reads nothing back to the host, so it can run on every engine
 * inside a training step. `result()` returns a new tensor the caller owns.
 *
 * @example
 * const m = new BinaryAccuracy();
 * m.updateState([[1], [0]], [[0.9], [0.8]]);
 * await m.result().data(); // [0.5]
 */
export abstract class Metric implements Serializable {
  abstract readonly className: string;
  /** The name the metric is logged under (`'accuracy'`, `'auc'`, ...). Compile may rename it. */
  name: string;
  private readonly state: Variable[] = [];
  private disposed = false;

  constructor(name: string) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new StrataError(`${new.target.name}: option 'name' must be a non-empty string; received ${describeValue(name)}. Pass a name such as 'my_metric' or leave it out for the default.`);
    }
    this.name = name;
  }

  /** Adds one batch to the state. `sampleWeight` (optional) weighs each sample or element. */
  abstract updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void;

  /** The metric over everything seen since the last reset, as a new tensor the caller owns. */
  abstract result(): Tensor;

  /**
   * The state variables (non-trainable), in creation order.
   *
   * @example
   * new Mean().variables.map((v) => v.shape); // [[], []]
   */
  get variables(): readonly Variable[] {
    return this.state;
  }

  /**
   * Zeroes the state, as at the start of an epoch.
   *
   * @example
   * m.resetState();
   */
  resetState(): void {
    this.assertLive('resetState');
    tidy(() => {
      for (const v of this.state) v.assign(zerosLike(v));
    });
  }

  /**
   * Frees the state variables; the metric cannot be used afterwards. Safe to call twice.
   *
   * @example
   * m.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.state) v.dispose();
    this.state.length = 0;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Constructor options that rebuild an equivalent metric (camelCase keys). */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  /** `name (ClassName)`, the prefix of every error this metric throws. */
  protected get label(): string {
    return `${this.name} (${this.className})`;
  }

  /** Creates a zero-filled float32 state variable with a name unique among live variables. */
  protected addVariable(name: string, shape: readonly number[]): Variable {
    const base = `${this.name}/${name}`;
    let unique = base;
    for (let i = 1; [...Variable.live].some((v) => v.name === unique); i++) unique = `${base}_${i}`;
    const v = tidy(() => variable(zeros(shape), false, unique));
    this.state.push(v);
    return v;
  }

  /** Throws if the metric was disposed, naming the method that was called. */
  protected assertLive(method: string): void {
    if (this.disposed) {
      throw new StrataError(`${this.label}.${method}: the metric was disposed, so its state is gone. Create a new metric instead of reusing a disposed one.`);
    }
  }

  /** Converts an argument to a float32 tensor, naming this metric in conversion errors. */
  protected toFloat(x: TensorLike, arg: string): Tensor {
    return cast(convert(x, arg, `${this.label}.updateState`), 'float32');
  }
}

/**
 * Keras' `squeeze_or_expand_to_same_rank`: where the ranks differ by exactly one and the longer
 * has a trailing 1, that 1 is squeezed (or, when the shorter is rank 1 and `expandRank1`, a 1 is
 * appended to the shorter), so `[N]` labels meet `[N, 1]` predictions.
 *
 * @example
 * const [t, p] = squeezeOrExpandToSameRank(tensor([1, 0]), tensor([[0.9], [0.2]])); // [2, 1] and [2, 1]
 */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2) return [x1, x2];
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    return r2 === 1 && expandRank1 ? [x1, expandDims(x2, -1)] : [squeeze(x1, [r1 - 1]), x2];
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    return r1 === 1 && expandRank1 ? [expandDims(x1, -1), x2] : [x1, squeeze(x2, [r2 - 1])];
  }
  return [x1, x2];
}

/**
 * `a / b`, with 0 wherever `b` is 0 (Keras' `divide_no_nan`).
 *
 * @example
 * divideNoNan(tensor([1, 2]), tensor([2, 0])); // [0.5, 0]
 */
export function divideNoNan(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const $b = convert(b, 'b', 'divideNoNan');
    return where(equal($b, 0), 0, div(a, $b));
  });
}

/**
 * True if `a` and `b` are the same shape.
 *
 * @example
 * sameShape([2, 3], [2, 3]); // true
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * True if shape `a` broadcasts to exactly `target` (right-aligned, NumPy rules).
 *
 * @example
 * broadcastsTo([3, 1], [2, 3, 4]); // true
 */
export function broadcastsTo(a: readonly number[], target: readonly number[]): boolean {
  if (a.length > target.length) return false;
  const offset = target.length - a.length;
  return a.every((d, i) => d === 1 || d === target[offset + i]);
}

/**
 * Formats both label and prediction shapes for messages.
 *
 * @example
 * shapesOf(yTrue, yPred); // 'yTrue [4, 3] and yPred [4, 2]'
 */
export function shapesOf(yTrue: Tensor, yPred: Tensor): string {
  return `yTrue ${fmtShape(yTrue.shape)} and yPred ${fmtShape(yPred.shape)}`;
}

/**
 * A short description of any value for error messages.
 *
 * @example
 * describeValue('roc'); // '"roc"'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Throws the common "unknown option" error if `config` carries keys the metric does not take, so
 * Keras' snake_case spellings (`top_k`) are caught rather than silently ignored.
 *
 * @example
 * checkOptions('AUC', options, ['numThresholds', 'curve', 'name']);
 */
export function checkOptions(className: string, config: object | undefined, known: readonly string[]): void {
  if (config === undefined) return;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new StrataError(`${className}: expected an options object; received ${describeValue(config)}. Pass e.g. { name: 'my_metric' }.`);
  }
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new StrataError(`${className}: unknown option '${key}'. Known options: ${known.join(', ')}. Keras' snake_case names are spelled in camelCase here (top_k -> topK).`);
    }
  }
}
