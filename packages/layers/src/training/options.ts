import { StrataError } from '@strata/core';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === 'object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return String(value);
}

/**
 * Refuses option keys a training function does not take, pointing Keras' snake_case spellings
 * (`batch_size`) to the camelCase ones (`batchSize`).
 *
 * @example
 * checkKeys('fit', args, ['epochs', 'batchSize']);
 */
export function checkKeys(fn: string, args: object | undefined, allowed: readonly string[]): void {
  if (args === undefined || args === null) return;
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new StrataError(`${fn}: options must be an object; received ${show(args)}. Pass e.g. { batchSize: 32 }.`);
  }
  for (const key of Object.keys(args)) {
    if (allowed.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const fix = camel !== key && allowed.includes(camel) ? `use the camelCase spelling '${camel}'` : `known options: ${allowed.join(', ')}`;
    throw new StrataError(`${fn}: unknown option '${key}'; ${fix}.`);
  }
}

/**
 * A positive integer option (batch size, epochs, steps), or its default.
 *
 * @example
 * const batchSize = positiveInt('fit', 'batchSize', args.batchSize, 32);
 */
export function positiveInt(fn: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StrataError(`${fn}: option '${key}' must be a positive integer; received ${show(value)}. Pass e.g. ${key}: ${fallback}.`);
  }
  return value;
}

/**
 * A non-negative integer option (initialEpoch), or its default.
 *
 * @example
 * const initialEpoch = nonNegativeInt('fit', 'initialEpoch', args.initialEpoch, 0);
 */
export function nonNegativeInt(fn: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StrataError(`${fn}: option '${key}' must be an integer >= 0; received ${show(value)}. Pass e.g. ${key}: ${fallback}.`);
  }
  return value;
}

/**
 * The `verbose` option: 0 (silent), 1 (progress bar) or 2 (one line per epoch, fit only).
 *
 * @example
 * const verbose = verbosity('fit', args.verbose, 1, 2);
 */
export function verbosity(fn: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new StrataError(`${fn}: option 'verbose' must be ${max === 2 ? '0, 1 or 2' : '0 or 1'}; received ${show(value)}. Pass verbose: 0 to print nothing.`);
  }
  return value;
}

/**
 * A boolean option, or its default.
 *
 * @example
 * const shuffle = boolOption('fit', 'shuffle', args.shuffle, true);
 */
export function boolOption(fn: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new StrataError(`${fn}: option '${key}' must be true or false; received ${show(value)}.`);
  return value;
}
