import type { Layer } from '../engine/layer.js';
import { initializerRegistry } from '../initializers/index.js';
import { layerRegistry } from '../layers/layer-registry.js';
import { Bidirectional } from '../layers/wrappers/bidirectional.js';
import { TimeDistributed } from '../layers/wrappers/time-distributed.js';
import { toSnakeCase } from './keras-keys.js';
import { failAt, shortJson, type LoadContext } from './topology-context.js';

// Where the layer configs TF.js and Keras write differ from the options Strata's layers read
// (all keys here are camelCase, as configs are after fromPythonic), and the one place that
// bridges them, both ways.

/** The values under which ignoring a key changes nothing (`'any'`: every value). */
type Harmless = 'any' | readonly unknown[];

interface ClassRules {
  /** Keys Keras or TF.js write that Strata's layer does not read, with the values that make ignoring them harmless. */
  harmless?: Readonly<Record<string, Harmless>>;
  /** Keys the constructor reads although getConfig() writes them under another name. */
  aliases?: readonly string[];
  /** Values for keys a file leaves out, where the writer's default differs from Strata's. */
  missing?: Readonly<Record<string, unknown>>;
  /** Like `missing`, for files TF.js wrote only (its layers compute differently from Keras's there). */
  missingFromTfjs?: Readonly<Record<string, unknown>>;
  /** Keys saved under Keras's spelling rather than the snake_case of Strata's (getConfig key → saved key, camelCase). */
  savedAs?: Readonly<Record<string, string>>;
  /** Rewrites values a writer spells differently, on reading. */
  read?: (config: Config) => Config;
  /** Rewrites values as TF.js and Keras spell them, on saving. */
  write?: (config: Config) => Config;
}

/** Options of the Layer base class: read by every layer, whether or not its getConfig() repeats them. */
const BASE_KEYS = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'inputShape', 'batchSize']);

/** Keys any layer may carry. */
const ANY_LAYER: ClassRules = {
  harmless: {
    // Keras 2's mixed-precision switch; Strata computes in the layer's dtype either way.
    autocast: 'any',
    // Keras 3 writes these for every layer that could have them; unset, they mean nothing.
    activityRegularizer: [null],
    loraRank: [null, 0],
    loraAlpha: 'any',
    quantizationConfig: [null],
    sparse: [false, null],
    ragged: [false, null],
  },
};

const CONV: ClassRules = { harmless: { groups: [1, null] } };
const SEPARABLE: ClassRules = {
  // Keras 2 writes the base class's kernel options for depthwise and separable convolutions.
  harmless: { groups: [1, null], filters: [null], kernelInitializer: 'any', kernelRegularizer: [null], kernelConstraint: [null] },
};
const RECURRENT: ClassRules = {
  // cuDNN is a speed switch; Keras 2's time_major only changes the input layout when true.
  harmless: { timeMajor: [false, null], useCudnn: 'any', zeroOutputForMask: 'any' },
};
const GLOBAL_POOLING: ClassRules = { aliases: ['keepdims'], savedAs: { keepDims: 'keepdims' } };

const RULES: Readonly<Record<string, ClassRules>> = {
  Conv1D: CONV,
  Conv2D: CONV,
  Conv2DTranspose: CONV,
  DepthwiseConv2D: SEPARABLE,
  SeparableConv2D: SEPARABLE,
  SimpleRNN: RECURRENT,
  LSTM: RECURRENT,
  // TF.js's GRU is the reset-before variant and writes no reset_after; nor did Keras before 2.1.
  GRU: { ...RECURRENT, missing: { resetAfter: false } },
  BatchNormalization: {
    harmless: { renorm: [false, null], renormClipping: [null], renormMomentum: 'any', fused: 'any', virtualBatchSize: [null], adjustment: [null], synchronized: 'any' },
  },
  LayerNormalization: { harmless: { rmsScaling: [false, null] } },
  SpatialDropout1D: { harmless: { noiseShape: [null] } },
  SpatialDropout2D: { harmless: { noiseShape: [null] } },
  LeakyReLU: { aliases: ['negativeSlope'] },
  GlobalAveragePooling1D: GLOBAL_POOLING,
  GlobalAveragePooling2D: GLOBAL_POOLING,
  GlobalMaxPooling1D: GLOBAL_POOLING,
  GlobalMaxPooling2D: GLOBAL_POOLING,
  // Keras 2.11+ records the shapes it was built with; Keras 3's flash attention is a speed switch.
  MultiHeadAttention: { harmless: { queryShape: 'any', keyShape: 'any', valueShape: 'any', flashAttention: 'any' } },
  // TF.js's bilinear UpSampling2D samples without half-pixel centres, and says so nowhere.
  UpSampling2D: { aliases: ['halfPixelCenters'], missingFromTfjs: { halfPixelCenters: false } },
  // TF.js writes the inferred dim of a target shape as null; Keras and Strata as -1.
  Reshape: { read: (c) => (Array.isArray(c.targetShape) ? { ...c, targetShape: c.targetShape.map((d: unknown) => (d === null ? -1 : d)) } : c) },
  // TF.js and Keras save the wrapped layer under its own name and name the copies forward_<name>
  // and backward_<name> when they load it; Strata's getConfig gives the forward copy's name.
  Bidirectional: { write: (c) => (isObject(c.layer) && isObject(c.layer.config) && typeof c.layer.config.name === 'string' && c.layer.config.name.startsWith('forward_')
    ? { ...c, layer: { ...c.layer, config: { ...c.layer.config, name: c.layer.config.name.slice('forward_'.length) } } }
    : c) },
};

/** The wrapper classes whose config holds other layers' configs, and the keys that hold them. */
const WRAPPED_KEYS: Readonly<Record<string, readonly string[]>> = { Bidirectional: ['layer', 'backwardLayer'], TimeDistributed: ['layer'] };

/** The classes a topology builds as models rather than through the layer registry. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Model', 'Functional']);

function rulesOf(className: string): ClassRules {
  return RULES[className] ?? {};
}

type Config = Record<string, unknown>;

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A saved layer config with the keys TF.js or Keras name differently from getConfig(): applied
 * by the saver to each layer's camelCase config (wrapped layers included).
 *
 * @example
 * savedLayerConfig('GlobalMaxPooling1D', { keepDims: true }); // { keepdims: true }
 */
export function savedLayerConfig(className: string, config: Config): Config {
  const out: Config = {};
  const rename = rulesOf(className).savedAs ?? {};
  const wrapped = WRAPPED_KEYS[className] ?? [];
  for (const [key, value] of Object.entries(config)) {
    const inner = wrapped.includes(key) && isObject(value) && typeof value.className === 'string' && isObject(value.config)
      ? { ...value, config: savedLayerConfig(value.className, value.config) }
      : value;
    out[rename[key] ?? key] = inner;
  }
  return rulesOf(className).write?.(out) ?? out;
}

/**
 * Fails unless `className` is a registered layer class, with the fix: register it.
 *
 * @example
 * requireLayerClass(ctx, 'MyLayer', 'modelTopology.config.layers[3]');
 */
export function requireLayerClass(ctx: LoadContext, className: string, where: string): void {
  if (layerRegistry.has(className)) return;
  throw failAt(ctx, where, `unknown layer class '${className}'`,
    `If '${className}' is your own layer, register it before loading: registerLayer(${className}), the class having static className = '${className}'. ` +
      `Strata's layers: ${layerRegistry.names().join(', ')}.`);
}

/**
 * A layer config read from a file (already camelCase), made ready for the layer's constructor:
 * dtype policies and wider dtypes mapped to Strata's, Keras 3's `batch_shape` as
 * `batchInputShape`, activation objects as names, initializers Strata cannot build dropped (the
 * saved weights replace their values anyway), the writer's defaults for keys it left out (TF.js's
 * GRU: `resetAfter: false`), and the same for the layers inside wrappers.
 *
 * @example
 * normalizeLayerConfig(ctx, 'GRU', { units: 4, dtype: 'float32' }, where); // { units: 4, dtype: 'float32', resetAfter: false }
 */
export function normalizeLayerConfig(ctx: LoadContext, className: string, config: Config, where: string): Config {
  const out: Config = { ...config };
  if (out.dtype !== undefined && out.dtype !== null) out.dtype = strataDType(ctx, out.dtype, `${where}.dtype`);
  if (out.batchShape !== undefined) {
    if (out.batchInputShape === undefined || out.batchInputShape === null) out.batchInputShape = out.batchShape;
    delete out.batchShape;
  }
  for (const key of ['activation', 'recurrentActivation']) if (isObject(out[key])) out[key] = activationName(out[key]);
  for (const [key, value] of Object.entries(out)) {
    if (key.endsWith('Initializer') && value !== null && !canBuildInitializer(value)) delete out[key];
  }
  const missing = { ...rulesOf(className).missing, ...(ctx.fromTfjs ? rulesOf(className).missingFromTfjs : {}) };
  for (const [key, value] of Object.entries(missing)) {
    if (out[key] === undefined || out[key] === null) out[key] = value;
  }
  const read = rulesOf(className).read;
  if (read) Object.assign(out, read(out));
  for (const key of WRAPPED_KEYS[className] ?? []) {
    const inner = out[key];
    if (!isObject(inner) || typeof inner.className !== 'string') continue;
    const innerWhere = `${where}.${toSnakeCase(key)}`;
    requireLayerClass(ctx, inner.className, innerWhere);
    out[key] = { ...inner, config: normalizeLayerConfig(ctx, inner.className, isObject(inner.config) ? inner.config : {}, `${innerWhere}.config`) };
  }
  return out;
}

/**
 * Checks that the built layer understood every key of its file config: a key that neither its
 * getConfig() nor its constructor reads is accepted only where ignoring it is known to be
 * harmless (Keras's `groups: 1` on a convolution); anything else fails naming the key and its
 * value, since the loaded layer could compute something else than the saved one. Wrapped layers
 * are checked the same way.
 *
 * @example
 * checkUnderstood(ctx, 'Conv2D', fileConfig, layer, 'modelTopology.config.layers[1].config');
 */
export function checkUnderstood(ctx: LoadContext, className: string, config: Config, layer: Layer, where: string): void {
  const rules = rulesOf(className);
  const known = new Set([...BASE_KEYS, ...Object.keys(layer.getConfig()), ...(rules.aliases ?? [])]);
  for (const [key, value] of Object.entries(config)) {
    if (known.has(key)) continue;
    const harmless = rules.harmless?.[key] ?? ANY_LAYER.harmless?.[key];
    const shown = `'${toSnakeCase(key)}' = ${shortJson(value)}`;
    if (harmless === 'any' || (harmless && harmless.some((v) => v === value || (v === null && value === undefined)))) continue;
    if (harmless) {
      throw failAt(ctx, `${where}.${toSnakeCase(key)}`, `${layer.toString()}: ${shown} is not supported by Strata's ${className} (it supports ${harmless.map((v) => shortJson(v)).join(' or ')})`,
        'Change the model where it was made, or implement the layer yourself and registerLayer it under its own class name.');
    }
    throw failAt(ctx, `${where}.${toSnakeCase(key)}`, `${layer.toString()}: ${shown} is not an option of Strata's ${className}, so the loaded layer could compute something else than the saved one`,
      'If the key is harmless, remove it from the file; otherwise implement the layer yourself and registerLayer it under its own class name.');
  }
  for (const [innerConfig, inner, key] of wrappedLayers(layer, config)) {
    if (isObject(innerConfig) && typeof innerConfig.className === 'string' && isObject(innerConfig.config)) {
      checkUnderstood(ctx, innerConfig.className, innerConfig.config, inner, `${where}.${key}.config`);
    }
  }
}

function wrappedLayers(layer: Layer, config: Config): [unknown, Layer, string][] {
  if (layer instanceof Bidirectional) {
    const out: [unknown, Layer, string][] = [[config.layer, layer.forwardLayer, 'layer']];
    if (config.backwardLayer !== undefined && config.backwardLayer !== null) out.push([config.backwardLayer, layer.backwardLayer, 'backward_layer']);
    return out;
  }
  if (layer instanceof TimeDistributed) return [[config.layer, layer.layer, 'layer']];
  return [];
}

function canBuildInitializer(value: unknown): boolean {
  try {
    initializerRegistry.get(value as never);
    return true;
  } catch {
    return false;
  }
}

/** Keras 3 may write an activation as `{ class_name: 'function', config: 'relu' }`. */
function activationName(value: Config): unknown {
  if (typeof value.config === 'string') return value.config;
  if (typeof value.className === 'string' && (value.config === undefined || value.config === null)) return value.className;
  return value;
}

const FLOAT_DTYPES = new Set(['float32', 'float16', 'bfloat16', 'float64', 'half', 'double', 'mixedfloat16', 'mixedbfloat16']);
const INT_DTYPES = new Set(['int32', 'int64', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64']);

/**
 * The Strata dtype for a saved dtype or Keras 3 dtype policy: floats (and mixed-precision
 * policies, whose weights are float32) compute in float32, integers in int32.
 *
 * @example
 * strataDType(ctx, { className: 'DTypePolicy', config: { name: 'mixedFloat16' } }, where); // 'float32'
 */
export function strataDType(ctx: LoadContext, value: unknown, where: string): 'float32' | 'int32' | 'bool' {
  const name = typeof value === 'string' ? value : isObject(value) && isObject(value.config) ? value.config.name : undefined;
  const key = typeof name === 'string' ? name.replace(/_/g, '').toLowerCase() : '';
  if (FLOAT_DTYPES.has(key)) return 'float32';
  if (INT_DTYPES.has(key)) return 'int32';
  if (key === 'bool') return 'bool';
  throw failAt(ctx, where, `dtype ${shortJson(value)} is not supported (Strata computes in float32, int32 or bool)`,
    'Save the model with float or integer dtypes.');
}
