import { StrataError, fmtShape } from '@strata/core';

/** A shape with unknown dims as `null` (the batch dim, a variable sequence length). */
export type LayerShape = readonly (number | null)[];

/**
 * An error a layer raises about how it is used; the message starts with the layer's name and
 * class, as in `dense_2 (Dense): expected input with last dimension 64, received shape [null, 32]`.
 *
 * @example
 * throw new LayerError(this, `expected input with last dimension ${n}, received shape ${fmtShape(shape)}`);
 */
export class LayerError extends StrataError {
  constructor(
    readonly layer: { name: string; className: string },
    detail: string,
  ) {
    super(`${layer.name} (${layer.className}): ${detail}`);
  }
}

/**
 * Formats a layer shape, `null` for unknown dims.
 *
 * @example
 * shapeString([null, 32]); // '[null, 32]'
 */
export function shapeString(shape: LayerShape): string {
  return fmtShape(shape);
}
