import type { DataId, DType, HostArray, Shape } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { runtime } from './runtime.js';
import { DisposedTensorError, StrataError, fmtShape } from './util/errors.js';

/** Nested arrays as `array()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on the active engine. Tensors are immutable; ops return new ones.
 * Reads are asynchronous (`await t.data()`); memory is freed by `dispose()`, `using`, or `tidy`.
 *
 * @example
 * using t = tensor([[1, 2], [3, 4]]);
 * await t.array(); // [[1, 2], [3, 4]]
 */
export class Tensor {
  /** Unique per tensor handle, for the tape and scopes. */
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  protected currentDataId: DataId;
  private disposed = false;

  /** @internal Use the creation ops (`tensor`, `zeros`, ...) instead. */
  constructor(dataId: DataId, shape: Shape, dtype: DType, trackInScope = true) {
    this.id = runtime.newTensorId();
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.currentDataId = dataId;
    runtime.retain(dataId, this.size, dtype);
    runtime.numTensors++;
    if (trackInScope) runtime.track(this);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal The engine buffer; throws if the tensor was disposed. */
  get dataId(): DataId {
    if (this.disposed) {
      throw new DisposedTensorError(`Tensor ${this.id} (shape ${fmtShape(this.shape)}, ${this.dtype}) was used after dispose(). Keep it with keep() or return it from tidy() to use it later.`);
    }
    return this.currentDataId;
  }

  /**
   * Resolves to a copy of the elements, row-major (Float32Array, Int32Array, or Uint8Array for bool).
   *
   * @example
   * await tensor([1, 2]).data(); // Float32Array [1, 2]
   */
  async data(): Promise<HostArray> {
    return runtime.engine.read({ dataId: this.dataId, shape: this.shape, dtype: this.dtype });
  }

  /**
   * Synchronous read, where the engine supports it (the CPU engine). GPU engines throw; use `data()`.
   *
   * @example
   * tensor([1, 2]).dataSync(); // Float32Array [1, 2]
   */
  dataSync(): HostArray {
    const engine = runtime.engine;
    if (!engine.readSync) {
      throw new StrataError(`dataSync(): the "${engine.name}" engine reads only asynchronously. Use \`await t.data()\` instead.`);
    }
    return engine.readSync({ dataId: this.dataId, shape: this.shape, dtype: this.dtype });
  }

  /**
   * Resolves to nested arrays of the values (booleans for bool tensors, a number for a scalar).
   *
   * @example
   * await tensor([[1, 2]]).array(); // [[1, 2]]
   */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /**
   * Frees this handle (the buffer goes when no other tensor shares it). Safe to call twice.
   *
   * @example
   * const t = ones([2]); t.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    runtime.numTensors--;
    runtime.release(this.currentDataId);
  }

  /** Lets `using t = ...` dispose the tensor at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** @internal A second handle on the same buffer, outside any scope (the tape saves these). */
  view(): Tensor {
    return new Tensor(this.dataId, this.shape, this.dtype, false);
  }

  toString(): string {
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype}${this.disposed ? ', disposed' : ''})`;
  }
}

let variableCount = 0;

/**
 * A mutable tensor for trainable state: `assign` swaps its value in place. Variables are never
 * disposed by `tidy`; `variableGrads` differentiates with respect to the trainable ones.
 *
 * @example
 * const w = variable(zeros([3]));
 * w.assign(ones([3]));
 */
export class Variable extends Tensor {
  /** Variables not yet disposed, for `variableGrads` to find the trainable ones. */
  static readonly live = new Set<Variable>();
  readonly name: string;
  trainable: boolean;

  /** @internal Use `variable()`. */
  constructor(initial: Tensor, trainable: boolean, name?: string) {
    super(initial.dataId, initial.shape, initial.dtype, false);
    this.trainable = trainable;
    this.name = name ?? `variable_${variableCount++}`;
    Variable.live.add(this);
  }

  override dispose(): void {
    Variable.live.delete(this);
    super.dispose();
  }

  /**
   * Replaces the value with `value` (same shape and dtype). The old buffer is released.
   *
   * @example
   * v.assign(mul(v, 0.5));
   */
  assign(value: Tensor): void {
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new StrataError(`Variable '${this.name}'.assign: expected shape ${fmtShape(this.shape)} and dtype ${this.dtype}; received shape ${fmtShape(value.shape)} and dtype ${value.dtype}.`);
    }
    const old = this.dataId;
    runtime.retain(value.dataId, value.size, value.dtype);
    this.currentDataId = value.dataId;
    runtime.release(old);
  }
}

function toNested(values: HostArray, shape: readonly number[], dtype: DType): NestedArray {
  const read = (i: number): number | boolean => (dtype === 'bool' ? values[i] !== 0 : values[i]!);
  if (shape.length === 0) return read(0);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}
