import type { Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { isShapeList, type Layer } from '../../engine/layer.js';
import { describeValue } from '../../initializers/options.js';

// Constructor-option and input checks shared by the built-in layers. Options arrive from user code
// and from saved Keras JSON alike, so each error names the layer, the option, what it must be and
// what was received.

/**
 * The error for a bad option: `dropout (Dropout): option 'rate' must be a number in [0, 1); received number 1.5`.
 *
 * @example
 * throw optionFailure(this, 'rate', 'a number in [0, 1)', args.rate);
 */
export function optionFailure(layer: Layer, name: string, expected: string, value: unknown): LayerError {
  return new LayerError(layer, `option '${name}' must be ${expected}; received ${describeValue(value)}`);
}

/** Bounds of a numeric option. */
export interface NumberBounds {
  min?: number;
  max?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
  /** Whether `max` itself is allowed (default true). */
  maxInclusive?: boolean;
  /** Require a whole number. */
  integer?: boolean;
}

function boundsText(b: NumberBounds): string {
  const kind = b.integer ? 'an integer' : 'a finite number';
  if (b.min !== undefined && b.max !== undefined) {
    return `${b.integer ? 'an integer' : 'a number'} in ${b.minInclusive === false ? '(' : '['}${b.min}, ${b.max}${b.maxInclusive === false ? ')' : ']'}`;
  }
  if (b.min !== undefined) return `${kind} ${b.minInclusive === false ? '>' : '>='} ${b.min}`;
  if (b.max !== undefined) return `${kind} ${b.maxInclusive === false ? '<' : '<='} ${b.max}`;
  return kind;
}

/**
 * A numeric option within bounds; `fallback` when absent (`undefined`, or `null` as Keras writes
 * `None`). With no fallback the option is required.
 *
 * @example
 * this.rate = numberOption(this, 'rate', args.rate, undefined, { min: 0, max: 1, maxInclusive: false });
 */
export function numberOption(layer: Layer, name: string, value: unknown, fallback: number | undefined, bounds: NumberBounds = {}): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw optionFailure(layer, name, `given (${boundsText(bounds)})`, value);
    return fallback;
  }
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (!bounds.integer || Number.isInteger(value))
    && (bounds.min === undefined || (bounds.minInclusive === false ? value > bounds.min : value >= bounds.min))
    && (bounds.max === undefined || (bounds.maxInclusive === false ? value < bounds.max : value <= bounds.max));
  if (!ok) throw optionFailure(layer, name, boundsText(bounds), value);
  return value as number;
}

/**
 * A numeric option that may be absent (`null`/`undefined` → `null`).
 *
 * @example
 * this.maxValue = optionalNumberOption(this, 'maxValue', args.maxValue, { min: 0 });
 */
export function optionalNumberOption(layer: Layer, name: string, value: unknown, bounds: NumberBounds = {}): number | null {
  return value === undefined || value === null ? null : numberOption(layer, name, value, undefined, bounds);
}

/**
 * A boolean option.
 *
 * @example
 * this.center = booleanOption(this, 'center', args.center, true);
 */
export function booleanOption(layer: Layer, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw optionFailure(layer, name, 'true or false', value);
  return value;
}

/**
 * A random seed: absent, or a non-negative integer.
 *
 * @example
 * this.seed = seedOption(this, args.seed);
 */
export function seedOption(layer: Layer, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw optionFailure(layer, 'seed', 'a non-negative integer (or omitted for the global seed stream)', value);
  }
  return value;
}

/**
 * An axis option: an integer, or (when `allowList`) a non-empty list of distinct integers.
 *
 * @example
 * this.axis = axisOption(this, 'axis', args.axis, -1, true);
 */
export function axisOption(layer: Layer, name: string, value: unknown, fallback: number, allowList: true): number | number[];
export function axisOption(layer: Layer, name: string, value: unknown, fallback: number, allowList?: false): number;
export function axisOption(layer: Layer, name: string, value: unknown, fallback: number, allowList = false): number | number[] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (allowList && Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'number' && Number.isInteger(a)) && new Set(value).size === value.length) {
    return [...(value as number[])];
  }
  throw optionFailure(layer, name, allowList ? 'an integer or a non-empty list of distinct integers' : 'an integer', value);
}

/**
 * Resolves axes (possibly negative) against a rank; the batch axis 0 is refused unless `allowBatch`.
 *
 * @example
 * resolveAxes(this, 'axis', [-1], 4); // [3]
 */
export function resolveAxes(layer: Layer, name: string, axes: number | readonly number[], rank: number, allowBatch = false): number[] {
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const lo = allowBatch ? 0 : 1;
  return list.map((a) => {
    const r = a < 0 ? a + rank : a;
    if (r < lo || r >= rank) {
      const valid = allowBatch ? `[${-rank}, ${rank - 1}]` : `[1, ${rank - 1}] or [${-(rank - 1)}, -1] (axis 0 is the batch)`;
      throw new LayerError(layer, `option '${name}' is ${JSON.stringify(axes)}, which is out of range for input of rank ${rank}; use axes in ${valid}`);
    }
    return r;
  });
}

/**
 * The one shape a single-input layer was built or called with; a list of shapes is refused.
 *
 * @example
 * const shape = singleShape(this, inputShape);
 */
export function singleShape(layer: Layer, shape: LayerShape | LayerShape[]): LayerShape {
  if (isShapeList(shape)) {
    throw new LayerError(layer, `expects a single input, received a list of ${shape.length} (shapes ${shape.map(shapeString).join(', ')}); apply it to one tensor`);
  }
  return shape;
}

/**
 * The one tensor a single-input layer was called with; a list of tensors is refused.
 *
 * @example
 * const x = singleInput(this, inputs);
 */
export function singleInput(layer: Layer, inputs: Tensor | Tensor[]): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length === 1) return inputs[0]!;
    throw new LayerError(layer, `expects a single input, received a list of ${inputs.length} (shapes ${inputs.map((t) => shapeString(t.shape)).join(', ')}); apply it to one tensor`);
  }
  return inputs;
}

/**
 * A shape option (dims are positive integers, or `null` where `allowNull`).
 *
 * @example
 * this.noiseShape = shapeOption(this, 'noiseShape', args.noiseShape, true);
 */
export function shapeOption(layer: Layer, name: string, value: unknown, allowNull: boolean): (number | null)[] {
  const ok = Array.isArray(value) && value.every((d) => (allowNull && d === null) || (typeof d === 'number' && Number.isInteger(d) && d > 0));
  if (!ok) throw optionFailure(layer, name, `an array of positive integers${allowNull ? ' (or null for the input\'s size)' : ''}`, value);
  return [...(value as (number | null)[])];
}

/** Where the channels are in image-like inputs. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/**
 * A `dataFormat` option (`'channelsLast'` or `'channelsFirst'`, Keras's `'channels_last'` spellings
 * accepted), default channels-last.
 *
 * @example
 * this.dataFormat = dataFormatOption(this, args.dataFormat);
 */
export function dataFormatOption(layer: Layer, value: unknown): DataFormat {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw optionFailure(layer, 'dataFormat', "'channelsLast' or 'channelsFirst'", value);
}
