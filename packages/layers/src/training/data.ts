import { StrataError, Tensor, fmtShape, gather, slice, tensor } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { ClassWeight, ModelData } from './types.js';

/** The roles data plays, as they are named in errors. */
export type DataRole = 'x' | 'y' | 'sampleWeight' | 'validationData x' | 'validationData y' | 'validationData sampleWeight';

/** One model's data for a run: a tensor per input, per output, and an optional weight per output. */
export interface DataSet {
  xs: Tensor[];
  ys: Tensor[];
  /** Per-output sample weights (null where none). */
  sws: (Tensor | null)[];
  /** Number of samples. */
  size: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Builds Sequential models that take their input shape from the first data (`ensureBuilt`), so
 * input names and shapes are known before the data is checked.
 *
 * @example
 * ensureModelBuilt(model, x);
 */
export function ensureModelBuilt(model: LayersModel, x: ModelData | undefined): void {
  if (model.inputs.length > 0) return;
  const built = model as unknown as { ensureBuilt?: (t: Tensor) => void };
  if (typeof built.ensureBuilt !== 'function') return;
  const first = x instanceof Tensor ? x : Array.isArray(x) ? x[0] : x && typeof x === 'object' ? Object.values(x)[0] : undefined;
  if (first instanceof Tensor) built.ensureBuilt(first);
}

/**
 * Turns `x`, `y` or sample weights given as a tensor, a list or an object keyed by name into one
 * tensor per input/output in order. Errors name the function, the role, what was expected (the
 * input/output names) and what was received. With `optional`, missing entries are null (sample
 * weights may be given for some outputs only).
 *
 * @example
 * const xs = toTensorList('fit', 'x', x, model.inputNames, 'input') as Tensor[];
 */
export function toTensorList(fn: string, role: DataRole, data: ModelData, names: readonly string[], kind: 'input' | 'output', optional = false): (Tensor | null)[] {
  const plural = `${names.length} ${kind}${names.length === 1 ? '' : 's'}`;
  const listed = names.map((n) => `'${n}'`).join(', ');
  if (data instanceof Tensor) {
    if (names.length !== 1) {
      throw new StrataError(`${fn}: the model has ${plural} (${listed}) but ${role} is a single tensor. Pass a list of ${names.length} tensors in ${kind} order, or an object keyed by ${kind} name.`);
    }
    return [data];
  }
  if (Array.isArray(data)) {
    if (data.length !== names.length) {
      throw new StrataError(`${fn}: the model has ${plural} (${listed}) but ${role} is a list of ${data.length} tensor(s). Pass one tensor per ${kind}, in order.`);
    }
    return data.map((t, i) => {
      if (t === null && optional) return null;
      if (!(t instanceof Tensor)) throw new StrataError(`${fn}: ${role}[${i}] (for ${kind} '${names[i]}') must be a Tensor; received ${describe(t)}.`);
      return t;
    });
  }
  if (data !== null && typeof data === 'object') {
    const keys = Object.keys(data);
    const unknown = keys.filter((k) => !names.includes(k));
    const missing = optional ? [] : names.filter((n) => !keys.includes(n));
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [unknown.length > 0 ? `unknown key(s) ${unknown.map((k) => `'${k}'`).join(', ')}` : '', missing.length > 0 ? `missing ${missing.map((k) => `'${k}'`).join(', ')}` : '']
        .filter(Boolean).join('; ');
      throw new StrataError(`${fn}: ${role} is an object with keys [${keys.join(', ')}], but the model's ${kind}s are named [${names.join(', ')}] (${parts}). Key ${role} by ${kind} name.`);
    }
    return names.map((n) => {
      const t = (data as Record<string, unknown>)[n];
      if ((t === undefined || t === null) && optional) return null;
      if (!(t instanceof Tensor)) throw new StrataError(`${fn}: ${role}['${n}'] must be a Tensor; received ${describe(t)}.`);
      return t;
    });
  }
  throw new StrataError(`${fn}: ${role} must be a Tensor, a list of tensors or an object keyed by ${kind} name; received ${describe(data)}.`);
}

/** How an array is named in errors: `x`, or `x['name']` / `x[1]` when the model has several. */
function label(role: string, names: readonly string[], i: number): string {
  return names.length === 1 ? role : `${role}['${names[i]}']`;
}

/**
 * Standardizes `x`, `y` and optional sample weights for a model and checks them before any work:
 * the number of tensors and their keys, a batch dimension on each, equal sample counts (naming
 * both counts), and the model's input shapes.
 *
 * @example
 * const data = prepareData('fit', model, x, y, sampleWeight);
 */
export function prepareData(
  fn: string, model: LayersModel, x: ModelData, y: ModelData | null, sampleWeight?: ModelData | null, prefix: '' | 'validationData ' = '',
): DataSet {
  ensureModelBuilt(model, x);
  const inputNames = model.inputNames;
  const outputNames = model.outputNames;
  const xs = toTensorList(fn, `${prefix}x` as DataRole, x, inputNames, 'input') as Tensor[];
  const ys = y === null ? [] : (toTensorList(fn, `${prefix}y` as DataRole, y, outputNames, 'output') as Tensor[]);
  const sws = sampleWeight === undefined || sampleWeight === null
    ? outputNames.map(() => null)
    : toTensorList(fn, `${prefix}sampleWeight` as DataRole, sampleWeight, outputNames, 'output', true);
  const all: { name: string; t: Tensor }[] = [
    ...xs.map((t, i) => ({ name: label(`${prefix}x`, inputNames, i), t })),
    ...ys.map((t, i) => ({ name: label(`${prefix}y`, outputNames, i), t })),
    ...sws.flatMap((t, i) => (t ? [{ name: label(`${prefix}sampleWeight`, outputNames, i), t }] : [])),
  ];
  for (const { name, t } of all) {
    if (t.isDisposed) throw new StrataError(`${fn}: ${name} was disposed; pass live tensors.`);
    if (t.rank === 0) throw new StrataError(`${fn}: ${name} is a scalar; data needs a first (batch) dimension, one entry per sample. Reshape it to [numSamples, ...].`);
  }
  const size = all[0]!.t.shape[0]!;
  for (const { name, t } of all.slice(1)) {
    if (t.shape[0] !== size) {
      throw new StrataError(`${fn}: ${all[0]!.name} has ${size} samples but ${name} has ${t.shape[0]} (first dimensions ${fmtShape(all[0]!.t.shape)} and ${fmtShape(t.shape)}); every array must have one entry per sample.`);
    }
  }
  if (size === 0) throw new StrataError(`${fn}: ${all[0]!.name} has 0 samples; pass at least one.`);
  xs.forEach((t, i) => model.checkInputShape(i, t.shape));
  return { xs, ys, sws: sws as (Tensor | null)[], size };
}

/**
 * Reads every float array of the data once and rejects NaN and infinities, naming the array, the
 * flat index and the sample: a single NaN makes every weight NaN after one step.
 *
 * @example
 * await checkFinite('fit', [{ name: 'x', t: x }, { name: 'y', t: y }]);
 */
export async function checkFinite(fn: string, arrays: readonly { name: string; t: Tensor }[]): Promise<void> {
  const floats = arrays.filter((a) => a.t.dtype === 'float32');
  const values = await Promise.all(floats.map((a) => a.t.data()));
  floats.forEach(({ name, t }, k) => {
    const data = values[k]!;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) {
        const perSample = t.size / t.shape[0]!;
        throw new StrataError(
          `${fn}: ${name} holds ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at flat index ${i} (sample ${Math.floor(i / perSample)} of ${t.shape[0]}, shape ${fmtShape(t.shape)}). ` +
            'Training on it would turn every weight into NaN; replace or drop that sample first.',
        );
      }
    }
  });
}

/**
 * The arrays of a data set with their names as errors use them.
 *
 * @example
 * await checkFinite('fit', namedArrays(model, data));
 */
export function namedArrays(model: LayersModel, data: DataSet, prefix = ''): { name: string; t: Tensor }[] {
  return [
    ...data.xs.map((t, i) => ({ name: label(`${prefix}x`, model.inputNames, i), t })),
    ...data.ys.map((t, i) => ({ name: label(`${prefix}y`, model.outputNames, i), t })),
    ...data.sws.flatMap((t, i) => (t ? [{ name: label(`${prefix}sampleWeight`, model.outputNames, i), t }] : [])),
  ];
}

/**
 * Keras 3's class weights: each sample is weighted by the weight of its class, the class being
 * the arg-max of a one-hot row, or the rounded label for integer labels (`[N]` or `[N, 1]`);
 * classes missing from `classWeight` weigh 1. Computed on the host from labels read once.
 *
 * @example
 * const sw = await classWeightsToSampleWeights('fit', 'y', yTrain, { 0: 1, 1: 5 });
 */
export async function classWeightsToSampleWeights(fn: string, name: string, y: Tensor, classWeight: ClassWeight): Promise<Tensor> {
  for (const [k, w] of Object.entries(classWeight)) {
    if (!/^\d+$/.test(k) || typeof w !== 'number' || !Number.isFinite(w)) {
      throw new StrataError(`${fn}: classWeight maps class indices to finite numbers; received ${JSON.stringify(k)}: ${String(w)}. Pass e.g. { 0: 1, 1: 5 }.`);
    }
  }
  const n = y.shape[0]!;
  const perSample = y.size / n;
  const oneHot = y.rank > 1 && y.shape[y.rank - 1] !== 1;
  if (y.rank > 2 || (y.rank === 2 && oneHot && perSample !== y.shape[1])) {
    throw new StrataError(`${fn}: classWeight needs one class per sample, but ${name} has shape ${fmtShape(y.shape)}; use labels of shape [N], [N, 1] or one-hot [N, classes], or pass sampleWeight instead.`);
  }
  const values = await y.data();
  const out = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let cls: number;
    if (oneHot) {
      let best = 0;
      for (let c = 1; c < perSample; c++) if (values[s * perSample + c]! > values[s * perSample + best]!) best = c;
      cls = best;
    } else {
      cls = roundHalfEven(values[s]!);
    }
    out[s] = classWeight[cls] ?? 1;
  }
  return tensor(out, [n]);
}

/** NumPy's `round`: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Splits each array at `at` along the first dimension (Keras `validationSplit` takes the last
 * samples, unshuffled). The parts are new tensors the caller owns.
 *
 * @example
 * const [train, val] = splitData(data, 80);
 */
export function splitData(data: DataSet, at: number): [DataSet, DataSet] {
  const part = (begin: number, size: number): DataSet => {
    const take = (t: Tensor): Tensor => slice(t, begin, size);
    return { xs: data.xs.map(take), ys: data.ys.map(take), sws: data.sws.map((t) => (t ? take(t) : null)), size };
  };
  return [part(0, at), part(at, data.size - at)];
}

/**
 * Takes the samples `indices` (or the contiguous range `[start, start + size)`) from every array:
 * a `slice` for a range, a `gather` otherwise. Call inside `tidy`.
 *
 * @example
 * const batch = takeBatch(data, { start: 0, size: 32 });
 */
export function takeBatch(data: DataSet, rows: { start: number; size: number } | Int32Array): DataSet {
  let take: (t: Tensor) => Tensor;
  let size: number;
  if (rows instanceof Int32Array) {
    const idx = tensor(rows, [rows.length], 'int32');
    take = (t) => gather(t, idx, 0);
    size = rows.length;
  } else {
    take = (t) => (rows.start === 0 && rows.size === t.shape[0] ? t : slice(t, rows.start, rows.size));
    size = rows.size;
  }
  return { xs: data.xs.map(take), ys: data.ys.map(take), sws: data.sws.map((t) => (t ? take(t) : null)), size };
}
