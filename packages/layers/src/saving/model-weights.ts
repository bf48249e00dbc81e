import { StrataError, fmtShape, tensor, type Variable } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import { SavedModelError } from './errors.js';
import type { PlannedWeight, WeightsPlan } from './weights-codec.js';

/** A model weight with the name it is saved under. */
export interface NamedWeight {
  name: string;
  variable: Variable;
}

/**
 * The weights of a model with their saved names (`<layer>/<weight>`, as TF.js names them; the
 * layers of a nested model keep their own names), in TF.js's order: all trainable weights, then
 * the rest. Throws if two weights share a name, since loading matches weights by name.
 *
 * @example
 * namedModelWeights(model); // [{ name: 'dense/kernel', variable }, { name: 'dense/bias', variable }]
 */
export function namedModelWeights(model: LayersModel): NamedWeight[] {
  const names = new Map<Variable, string>();
  for (const w of model.weightEntries) if (!names.has(w.variable)) names.set(w.variable, w.name);
  const out = model.weights.map((variable) => ({ name: names.get(variable) ?? variable.name, variable }));
  const seen = new Set<string>();
  for (const w of out) {
    if (seen.has(w.name)) {
      throw new StrataError(`model '${model.name}': two weights are named '${w.name}' (two layers share a name, e.g. a nested model with a layer named like one outside it); weights are saved and loaded by name. Give the layers unique names.`);
    }
    seen.add(w.name);
  }
  return out;
}

/** A planned weight of the file matched to the model weight it fills. */
export interface WeightMatch {
  target: NamedWeight;
  entry: PlannedWeight;
}

/**
 * TF 2.2+ (and Keras-converted files) name recurrent weights with the cell's name in between:
 * `lstm/lstm_cell/kernel` for `lstm/kernel`. TF.js's loader drops that part when the full name
 * matches nothing; so does Strata.
 */
function withoutCellName(name: string): string | null {
  const parts = name.split('/');
  return parts.length >= 3 ? [...parts.slice(0, -2), parts[parts.length - 1]].join('/') : null;
}

/**
 * Matches the model weights of a checked manifest (entries without `group: 'optimizer'`) to the
 * model's weights by name, before anything is read: every model weight must be in the file, every
 * file weight must be in the model, shapes must agree. Errors name the weight, the file, the
 * shard and both shapes.
 *
 * @example
 * const { matches, optimizer } = matchWeights(namedModelWeights(model), plan, '/tmp/m/model.json');
 */
export function matchWeights(weights: readonly NamedWeight[], plan: WeightsPlan, file: string, modelName: string): { matches: WeightMatch[]; optimizer: PlannedWeight[] } {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const taken = new Set<string>();
  const matches: WeightMatch[] = [];
  const optimizer: PlannedWeight[] = [];
  const fix = 'Load weights saved from a model of the same architecture (same layer names and sizes), or re-save the model.';
  for (const entry of plan.weights) {
    if (entry.spec.group === 'optimizer') {
      optimizer.push(entry);
      continue;
    }
    let target = byName.get(entry.spec.name);
    if (!target || taken.has(target.name)) {
      const short = withoutCellName(entry.spec.name);
      const alt = short === null ? undefined : byName.get(short);
      target = alt && !taken.has(alt.name) ? alt : undefined;
    }
    if (!target) {
      const known = weights.map((w) => w.name);
      throw new SavedModelError(file, `weight '${entry.spec.name}' matches no weight of model '${modelName}' (its weights: ${known.length > 0 ? known.join(', ') : 'none'})`, { where: entry.where, fix });
    }
    const expected = target.variable.shape;
    if (entry.spec.shape.length !== expected.length || entry.spec.shape.some((d, k) => d !== expected[k])) {
      const shards = plan.groups[entry.group]!.paths.join(', ');
      throw new SavedModelError(file, `weight '${entry.spec.name}' (data in ${shards}) has shape ${fmtShape(entry.spec.shape)}, but the model's weight '${target.name}' has shape ${fmtShape(expected)}`, { where: `${entry.where}.shape`, fix });
    }
    taken.add(target.name);
    matches.push({ target, entry });
  }
  const missing = weights.filter((w) => !taken.has(w.name)).map((w) => w.name);
  if (missing.length > 0) {
    throw new SavedModelError(file, `${missing.length} of the model's ${weights.length} weight(s) are not in the file: ${missing.join(', ')}`, { where: 'weightsManifest', fix });
  }
  return { matches, optimizer };
}

/**
 * Sets each matched weight from its decoded values (converted to the variable's dtype on the host).
 * Called once every value is decoded and checked, so it cannot stop half-way.
 *
 * @example
 * assignWeights(matches, decoded);
 */
export function assignWeights(matches: readonly WeightMatch[], values: ReadonlyMap<PlannedWeight, Float32Array | Int32Array>): void {
  for (const m of matches) {
    const raw = values.get(m.entry)!;
    const v = m.target.variable;
    const data = v.dtype === 'int32' ? (raw instanceof Int32Array ? raw : Int32Array.from(raw, Math.trunc)) : raw instanceof Float32Array ? raw : Float32Array.from(raw);
    const t = tensor(data, m.entry.spec.shape, v.dtype === 'int32' ? 'int32' : 'float32');
    try {
      v.assign(t);
    } finally {
      t.dispose();
    }
  }
}
