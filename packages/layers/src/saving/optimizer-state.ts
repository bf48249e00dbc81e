import { fmtShape, mul, tensor, zeros, type Tensor, type Variable } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { Optimizer } from '../optimizers/index.js';
import { SavedModelError } from './errors.js';
import type { NamedWeight } from './model-weights.js';
import type { NamedTensor, WeightSpec } from './weights-codec.js';

/**
 * The optimizer state in a saved model, as TF.js lays it out so that either library reads the
 * other's files: manifest entries with `group: 'optimizer'`, first `iter` (an int32 scalar, the
 * update count), then slot after slot, each for every trained weight in order
 * (`dense/kernel/m`, `dense_1/kernel/m`, ..., `dense/kernel/v`, ...). TF.js's optimizers read
 * their state by position in that order, and name each entry `<variable>/<slot>` with their own
 * slot names; the optimizer's `class_name` in the training config says which names those are.
 * Optimizers TF.js lacks (AdamW, Nadam) use Strata's slot names in the same layout.
 */

/** The manifest name of the update count. */
export const ITERATIONS_NAME = 'iter';

/** One slot as a file names it, the Strata slot it is, and how the values convert. */
interface SlotLayout {
  file: string;
  ours: string;
  /** Strata's value from the file's (`lr` is the fixed learning rate). */
  fromFile?: (lr: number) => number;
  /** TF.js keeps this slot where Strata keeps none (it is written as zeros). */
  tfjsAlways?: boolean;
}

/**
 * TF.js's slots per optimizer class name (tfjs-core's optimizers), in TF.js's order. TF.js's
 * Momentum accumulates gradients (`acc = m * acc + g; w -= lr * acc`), Keras's SGD velocities
 * (`v = m * v - lr * g; w += v`), so `v = -lr * acc`. TF.js's RMSProp keeps `momentum` even at
 * momentum 0, where Strata keeps none. `sgd`'s momentum and `adam`'s `vhat` (amsgrad) are
 * Strata's: TF.js has neither.
 */
const LAYOUTS: Readonly<Record<string, readonly SlotLayout[]>> = {
  sgd: [{ file: 'momentum', ours: 'momentum' }],
  momentum: [{ file: 'momentum', ours: 'momentum', fromFile: (lr) => -lr }],
  adam: [{ file: 'm', ours: 'momentum' }, { file: 'v', ours: 'velocity' }, { file: 'vhat', ours: 'velocity_hat' }],
  adamax: [{ file: 'm', ours: 'momentum' }, { file: 'v', ours: 'norm' }],
  rmsprop: [{ file: 'rms', ours: 'velocity' }, { file: 'momentum', ours: 'momentum', tfjsAlways: true }, { file: 'mg', ours: 'average_gradient' }],
  adagrad: [{ file: 'accumulator', ours: 'accumulator' }],
  adadelta: [{ file: 'accum_grad', ours: 'accumulated_grad' }, { file: 'accum_var', ours: 'accumulated_delta_var' }],
};

function layoutOf(className: string, optimizer: Optimizer): readonly SlotLayout[] {
  return LAYOUTS[className.replace(/_/g, '').toLowerCase()] ?? optimizer.slotNames().map((s) => ({ file: s, ours: s }));
}

function fixedRate(optimizer: Optimizer): number {
  return typeof optimizer.learningRate === 'number' ? optimizer.learningRate : Number.NaN;
}

/**
 * The optimizer state of a compiled model as named tensors for the manifest, laid out for the
 * optimizer's saved class name (`optimizerToSaved(opt).class_name`). Tensors in `created` are new
 * (dispose them after writing); the others are the optimizer's own slot variables.
 *
 * @example
 * const { named, created } = optimizerWeightsToSave(model.optimizer!, 'Adam', namedModelWeights(model));
 */
export function optimizerWeightsToSave(optimizer: Optimizer, className: string, weights: readonly NamedWeight[]): { named: NamedTensor[]; created: Tensor[] } {
  const iter = tensor(optimizer.iterations, [], 'int32');
  const named: NamedTensor[] = [{ name: ITERATIONS_NAME, tensor: iter, group: 'optimizer' }];
  const created: Tensor[] = [iter];
  const ours = optimizer.slotNames();
  const trained = weights.filter((w) => ours.some((s) => optimizer.getSlot(w.variable, s) !== undefined));
  const lr = fixedRate(optimizer);
  for (const slot of layoutOf(className, optimizer)) {
    for (const w of trained) {
      const v = optimizer.getSlot(w.variable, slot.ours);
      let value: Tensor | null = v ?? null;
      if (v && slot.fromFile) {
        value = mul(v, 1 / slot.fromFile(lr));
        created.push(value);
      } else if (!v && slot.tfjsAlways) {
        value = zeros(w.variable.shape);
        created.push(value);
      }
      if (value) named.push({ name: `${w.name}/${slot.file}`, tensor: value, group: 'optimizer' });
    }
  }
  return { named, created };
}

/** An optimizer entry read from a file: its spec, values, and key path for messages. */
export interface SavedValue {
  spec: WeightSpec;
  values: Float32Array | Int32Array;
  where: string;
}

const fix = 'Re-save the model, or load it with loadModel(path, { compile: false }) and compile it yourself (the optimizer state then starts afresh).';

/**
 * Renames the file's entries (`<variable>/<file slot>`; TF.js may add a `_1` suffix to a variable
 * name it saw twice) to Strata's (`<weight>/<slot>`), converting values where the two keep
 * different quantities, and dropping slots Strata does not keep.
 */
function toStrataNames(saved: ReadonlyMap<string, SavedValue>, optimizer: Optimizer, weights: readonly NamedWeight[], className: string, file: string): Map<string, SavedValue> {
  const layout = layoutOf(className, optimizer);
  const bySlot = new Map(layout.map((s) => [s.file, s]));
  const names = new Set(weights.map((w) => w.name));
  const ours = new Set(optimizer.slotNames());
  const out = new Map<string, SavedValue>();
  for (const [name, entry] of saved) {
    if (name === ITERATIONS_NAME) {
      out.set(name, entry);
      continue;
    }
    const cut = name.lastIndexOf('/');
    const slot = bySlot.get(name.slice(cut + 1));
    let owner = cut > 0 ? name.slice(0, cut) : '';
    if (!names.has(owner)) owner = owner.replace(/_\d+$/, '');
    if (!slot) {
      throw new SavedModelError(file, `optimizer entry '${name}' is not a slot of ${className} (its slots: ${layout.map((s) => s.file).join(', ') || 'none'})`, { where: entry.where, fix });
    }
    if (!names.has(owner)) throw new SavedModelError(file, `optimizer entry '${name}' names no weight of the model`, { where: entry.where, fix });
    if (!ours.has(slot.ours)) continue;
    let values = entry.values;
    if (slot.fromFile) {
      const factor = slot.fromFile(fixedRate(optimizer));
      values = Float32Array.from(values, (x) => factor * x);
    }
    const key = `${owner}/${slot.ours}`;
    if (out.has(key)) throw new SavedModelError(file, `optimizer entry '${name}' repeats the state of weight '${owner}'`, { where: entry.where, fix });
    out.set(key, { ...entry, values });
  }
  return out;
}

/**
 * Restores a model's optimizer state (its optimizer freshly built by `compile`) from the
 * optimizer entries of a saved model (Strata's or TF.js's): the update count, and the slots of
 * every trained weight that has them, checked by name and shape before anything changes.
 *
 * @example
 * await restoreOptimizerState(model, savedEntries, '/tmp/m/model.json', namedModelWeights(model), 'Adam');
 */
export async function restoreOptimizerState(model: LayersModel, saved: ReadonlyMap<string, SavedValue>, file: string, weights: readonly NamedWeight[], className: string): Promise<void> {
  const optimizer = model.optimizer!;
  const entries = toStrataNames(saved, optimizer, weights, className, file);
  const iter = entries.get(ITERATIONS_NAME);
  if (!iter) {
    throw new SavedModelError(file, `the optimizer state has no '${ITERATIONS_NAME}' entry (the update count)`, { where: 'weightsManifest', fix });
  }
  const count = iter.values[0];
  if (iter.values.length !== 1 || count === undefined || !Number.isInteger(count) || count < 0) {
    throw new SavedModelError(file, `the optimizer's update count '${ITERATIONS_NAME}' must be one non-negative integer; received shape ${fmtShape(iter.spec.shape)} holding ${iter.values.length === 1 ? String(count) : `${iter.values.length} values`}`, { where: iter.where, fix });
  }
  const slotNames = optimizer.slotNames();
  const trainable = new Set(model.trainableWeights);
  const slotted: { variable: Variable; values: SavedValue[] }[] = [];
  for (const w of weights) {
    const found = slotNames.map((s) => entries.get(`${w.name}/${s}`));
    if (found.every((f) => f === undefined)) continue;
    if (!trainable.has(w.variable)) {
      throw new SavedModelError(file, `the optimizer state has slots of weight '${w.name}', which is not trainable in the loaded model`, { where: found.find((f) => f)!.where, fix });
    }
    const values = found.map((f, i) => {
      if (!f) {
        throw new SavedModelError(file, `the optimizer state has slot(s) of weight '${w.name}' but not its '${slotNames[i]}' (${optimizer.className} keeps ${slotNames.join(', ')})`, { where: 'weightsManifest', fix });
      }
      if (f.spec.shape.length !== w.variable.shape.length || f.spec.shape.some((d, k) => d !== w.variable.shape[k])) {
        throw new SavedModelError(file, `optimizer entry '${f.spec.name}' has shape ${fmtShape(f.spec.shape)}, but weight '${w.name}' has shape ${fmtShape(w.variable.shape)}`, { where: `${f.where}.shape`, fix });
      }
      return f;
    });
    slotted.push({ variable: w.variable, values });
  }
  // toStrataNames matched every entry to a weight of the model, so none is left over.
  optimizer.build(slotted.map((s) => s.variable));
  const tensors: Tensor[] = [tensor(count, [], 'int32')];
  try {
    for (const s of slotted) for (const v of s.values) tensors.push(tensor(v.values instanceof Float32Array ? v.values : Float32Array.from(v.values), v.spec.shape, 'float32'));
    await optimizer.setWeights(tensors);
  } finally {
    for (const t of tensors) t.dispose();
  }
}
