import type { DType } from '@strata/core';
import type { LayerShape } from '../engine/errors.js';
import type { OnnxAttribute, OnnxDataType, OnnxNode, OnnxTensor } from './onnx-proto.js';

/**
 * How a value's axes are ordered in the ONNX graph: as Strata has them (`native`), or with the
 * last axis moved right after the batch axis (`channelsFirst`), the order ONNX's Conv and pooling
 * operators want. Keeping both lets a chain of convolutions, activations and pools run in
 * channels-first order with one Transpose at each end instead of two per layer.
 */
export type Layout = 'native' | 'channelsFirst';

/**
 * A Strata tensor as it exists in the ONNX graph: its Strata shape and dtype, and the names of the
 * ONNX values holding it in each layout made so far (shared by aliases, so a Transpose is made
 * once however many consumers need it).
 */
export interface OnnxValue {
  /** The Strata (native) shape; `null` for unknown dims. */
  readonly shape: LayerShape;
  readonly dtype: DType;
  /** ONNX value names by layout. */
  readonly names: Map<Layout, string>;
  /** The layout the value was produced in: elementwise layers keep working in it. */
  readonly home: Layout;
  /** Whether a Keras mask (from `Embedding({ maskZero })` or `Masking`) travels with the value. */
  masked: boolean;
}

/**
 * Node attribute constructors.
 *
 * @example
 * builder.op('Softmax', [x], [attr.int('axis', -1)]);
 */
export const attr = {
  int: (name: string, value: number | bigint): OnnxAttribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): OnnxAttribute => ({ name, type: 'float', value }),
  string: (name: string, value: string): OnnxAttribute => ({ name, type: 'string', value }),
  ints: (name: string, value: readonly (number | bigint)[]): OnnxAttribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: readonly number[]): OnnxAttribute => ({ name, type: 'floats', value }),
  strings: (name: string, value: readonly string[]): OnnxAttribute => ({ name, type: 'strings', value }),
};

/**
 * The ONNX element type of a Strata dtype.
 *
 * @example
 * onnxDataType('int32'); // 'int32'
 */
export function onnxDataType(dtype: DType): OnnxDataType {
  return dtype === 'int32' ? 'int32' : dtype === 'bool' ? 'bool' : 'float32';
}

/**
 * The permutation that takes a native rank-`rank` tensor to channels-first order
 * (`[0, rank - 1, 1, ..., rank - 2]`: NHWC → NCHW, NWC → NCW).
 *
 * @example
 * toChannelsFirst(4); // [0, 3, 1, 2]
 */
export function toChannelsFirst(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/**
 * The inverse of {@link toChannelsFirst} (NCHW → NHWC).
 *
 * @example
 * fromChannelsFirst(4); // [0, 2, 3, 1]
 */
export function fromChannelsFirst(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/**
 * Where native axis `axis` (non-negative) sits in `layout`.
 *
 * @example
 * axisIn('channelsFirst', 4, 3); // 1
 */
export function axisIn(layout: Layout, rank: number, axis: number): number {
  if (layout === 'native' || rank < 3) return axis;
  return toChannelsFirst(rank).indexOf(axis);
}

/**
 * Collects the nodes and initializers of an ONNX graph while a model is converted: unique value
 * names, cached constants, and each value's layouts (making the Transposes between them on demand).
 *
 * @example
 * const b = new GraphBuilder();
 * const y = b.op('Relu', [b.native(x)]);
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  /** Prefix of the names made next (the layer being converted). */
  scope = '';
  private readonly used = new Set<string>();
  private readonly cache = new Map<string, string>();

  /**
   * A name not used yet in the graph, from `hint` (characters other than letters, digits, `_`,
   * `/`, `.`, `:` and `-` become `_`).
   */
  uniqueName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_/.:-]/g, '_') || 'value';
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name (graph inputs); false when it is taken. */
  reserve(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  private scoped(hint: string): string {
    return this.scope ? `${this.scope}/${hint}` : hint;
  }

  /**
   * Adds a node and returns its output names (`outputs` of them; an empty string in `outputNames`
   * leaves an optional output unnamed).
   *
   * @example
   * const [y, yh] = b.ops('LSTM', [x, w, r, bias], [attr.int('hidden_size', 8)], 3);
   */
  ops(opType: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], outputs = 1, outputNames?: readonly string[]): string[] {
    const names = outputNames ? [...outputNames] : Array.from({ length: outputs }, (_, i) => this.uniqueName(this.scoped(outputs === 1 ? opType : `${opType}_${i}`)));
    const nodeName = this.uniqueName(`node:${this.scoped(opType)}`);
    this.nodes.push({ opType, name: nodeName, inputs: [...inputs], outputs: names, attributes: [...attributes] });
    return names;
  }

  /**
   * Adds a single-output node and returns the output's name.
   *
   * @example
   * const y = b.op('Relu', [x]);
   */
  op(opType: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = []): string {
    return this.ops(opType, inputs, attributes, 1)[0]!;
  }

  /**
   * Adds an initializer (a weight) and returns its name. With `cacheKey`, a second request for the
   * same key (a shared layer called twice) returns the first tensor.
   *
   * @example
   * const w = b.initializer('kernel', 'float32', [4, 2], data);
   */
  initializer(hint: string, dataType: OnnxDataType, dims: readonly number[], data: OnnxTensor['data'], cacheKey?: string): string {
    if (cacheKey !== undefined) {
      const hit = this.cache.get(`init:${cacheKey}`);
      if (hit) return hit;
    }
    const name = this.uniqueName(this.scoped(hint));
    this.initializers.push({ name, dataType, dims: [...dims], data });
    if (cacheKey !== undefined) this.cache.set(`init:${cacheKey}`, name);
    return name;
  }

  /**
   * A float32 constant (cached by value, so repeated scalars such as 0.5 are stored once).
   *
   * @example
   * const half = b.floatConst([0.5]);          // shape [1]
   * const six = b.floatConst([6], []);         // a scalar
   */
  floatConst(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const name = this.uniqueName(`const/f32_${values.length === 1 ? String(values[0]) : dims.join('x')}`);
    this.initializers.push({ name, dataType: 'float32', dims: [...dims], data: Float32Array.from(values) });
    this.cache.set(key, name);
    return name;
  }

  /**
   * An int64 constant (axes, shapes, slice bounds), cached by value.
   *
   * @example
   * const axes = b.int64Const([0]);
   */
  int64Const(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const name = this.uniqueName(`const/i64_${values.join('_')}`.slice(0, 60));
    this.initializers.push({ name, dataType: 'int64', dims: [...dims], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    this.cache.set(key, name);
    return name;
  }

  /**
   * A new value held by ONNX value `name` in `layout`.
   *
   * @example
   * const v = b.value([null, 8], 'float32', y, 'native');
   */
  value(shape: LayerShape, dtype: DType, name: string, layout: Layout): OnnxValue {
    const home: Layout = shape.length < 3 ? 'native' : layout;
    return { shape, dtype, names: new Map([[home, name]]), home, masked: false };
  }

  /**
   * The name of `v` in `layout`, transposing once (and remembering the result) if needed.
   *
   * @example
   * const nchw = b.inLayout(v, 'channelsFirst');
   */
  inLayout(v: OnnxValue, layout: Layout): string {
    const rank = v.shape.length;
    const wanted: Layout = rank < 3 ? 'native' : layout;
    const have = v.names.get(wanted);
    if (have) return have;
    const other = v.names.get(wanted === 'native' ? 'channelsFirst' : 'native')!;
    const perm = wanted === 'native' ? fromChannelsFirst(rank) : toChannelsFirst(rank);
    const name = this.op('Transpose', [other], [attr.ints('perm', perm)]);
    v.names.set(wanted, name);
    return name;
  }

  /** The name of `v` in Strata's own axis order. */
  native(v: OnnxValue): string {
    return this.inLayout(v, 'native');
  }

  /** The name of `v` in its home layout. */
  home(v: OnnxValue): string {
    return this.inLayout(v, v.home);
  }
}
