import type { DType } from '@strata/core';
import type { LayerShape } from './errors.js';
import type { Layer } from './layer.js';

let nextId = 0;

/**
 * A placeholder for a tensor in a model being defined: it has a shape (unknown dims `null`) and a
 * dtype but no values, and remembers the layer call that produced it, so `model({ inputs, outputs })`
 * can find the graph between them.
 *
 * @example
 * const x = input({ shape: [784] });      // SymbolicTensor [null, 784]
 * const h = layers.dense({ units: 64 }).apply(x);
 */
export class SymbolicTensor {
  readonly id = nextId++;

  constructor(
    readonly shape: LayerShape,
    readonly dtype: DType,
    /** The layer whose call produced it. */
    readonly sourceLayer: Layer,
    /** Which call of that layer (a shared layer is called several times). */
    readonly nodeIndex: number,
    /** Which of that call's outputs. */
    readonly tensorIndex: number,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(name=${this.name}, shape=[${this.shape.map((d) => (d === null ? 'null' : d)).join(', ')}], dtype=${this.dtype})`;
  }
}
