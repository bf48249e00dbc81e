import { StrataError } from '@strata/core';

// The spelling rules between Strata's configs (camelCase, as `getConfig` returns them) and the Keras
// JSON of saved models (snake_case), copied from TF.js's serialization_utils (convertTsToPythonic /
// convertPythonicToTs) and generic_utils (toSnakeCase / toCamelCase), so that files match what
// TF.js writes key for key, and files TF.js reads read the same here.

/** How deep a saved config may nest (nested models included); deeper files are refused, not recursed. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * TF.js's `toSnakeCase`: `batchInputShape` → `batch_input_shape`, `channelsLast` → `channels_last`.
 *
 * @example
 * toSnakeCase('kernelInitializer'); // 'kernel_initializer'
 */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  // TF.js prefixes a leading underscore (a "private" name) so the result can name a scope.
  return insecure[0] !== '_' ? insecure : `private${insecure}`;
}

/**
 * TF.js's `toCamelCase`: `batch_input_shape` → `batchInputShape`; names without underscores are
 * left alone.
 *
 * @example
 * toCamelCase('fan_avg'); // 'fanAvg'
 */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** Under these keys the first item of each list is a layer name, which keeps its spelling. */
const NODE_KEYS = new Set(['inboundNodes', 'inputLayers', 'outputLayers', 'inbound_nodes', 'input_layers', 'output_layers']);

function isLayerNameItem(key: string | undefined, index: number, item: unknown): boolean {
  return key !== undefined && NODE_KEYS.has(key) && index === 0 && typeof item === 'string';
}

/**
 * A camelCase config as TF.js saves it (`convertTsToPythonic`): keys in snake_case, string values in
 * snake_case too (`'channelsLast'` → `'channels_last'`) except layer and class names, `undefined` as
 * `null`. Values that JSON cannot hold (functions, tensors, class instances, NaN) are refused, naming
 * the key path, rather than written as something that loads differently.
 *
 * @example
 * toPythonic({ units: 3, useBias: true, dataFormat: 'channelsLast' }); // { units: 3, use_bias: true, data_format: 'channels_last' }
 */
export function toPythonic(value: unknown, key?: string, path = 'config', depth = 0): unknown {
  if (depth > MAX_CONFIG_DEPTH) throw new StrataError(`${path}: the config nests deeper than ${MAX_CONFIG_DEPTH} levels, which cannot be saved.`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toSnakeCase(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StrataError(`${path}: ${value} cannot be saved (JSON has no such number); use a finite value.`);
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => (isLayerNameItem(key, i, item) ? item : toPythonic(item, key, `${path}[${i}]`, depth + 1)));
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[toSnakeCase(k)] = (k === 'name' || k === 'className') && typeof v === 'string' ? v : toPythonic(v, k, `${path}.${k}`, depth + 1);
    }
    return out;
  }
  throw new StrataError(
    `${path}: a ${typeof value === 'function' ? 'function' : (value as object).constructor?.name ?? typeof value} cannot be saved in a model config; ` +
      'getConfig() must return plain JSON (numbers, strings, booleans, null, lists and plain objects).',
  );
}

/**
 * A saved (snake_case) config in Strata's camelCase, as TF.js reads it (`convertPythonicToTs`):
 * keys and string values to camelCase (`'channels_last'` → `'channelsLast'`), layer names (`name`)
 * and class names (`class_name`) kept. Throws a plain error past {@link MAX_CONFIG_DEPTH} levels;
 * the loader turns it into a SavedModelError with the key path.
 *
 * @example
 * fromPythonic({ batch_input_shape: [null, 4], data_format: 'channels_last' }); // { batchInputShape: [null, 4], dataFormat: 'channelsLast' }
 */
export function fromPythonic(value: unknown, key?: string, depth = 0): unknown {
  if (depth > MAX_CONFIG_DEPTH) throw new StrataError(`the config nests deeper than ${MAX_CONFIG_DEPTH} levels`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toCamelCase(value);
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => (isLayerNameItem(key, i, item) ? item : fromPythonic(item, key, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const camel = toCamelCase(k);
    // TF.js keeps only `name`; class names keep theirs here too (`My_Layer` must find `My_Layer`).
    const converted = (k === 'name' || camel === 'className') && typeof v === 'string' ? v : fromPythonic(v, camel, depth + 1);
    // defineProperty, so a "__proto__" key in a file stays a plain key.
    Object.defineProperty(out, camel, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
