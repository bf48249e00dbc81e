import { StrataError, Tensor, concat, dispose, fmtShape, keep, slice, tidy } from '@strata/core';
import { CallbackList, toCallbacks } from '../callbacks/callback-list.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { LayersModel } from '../engine/model.js';
import { ensureModelBuilt, toTensorList } from './data.js';
import { checkKeys, positiveInt, verbosity } from './options.js';
import type { ModelData, PredictArgs } from './types.js';

/** Inputs as one tensor per model input, with equal sample counts and the model's input shapes. */
function prepareInputs(fn: string, model: LayersModel, x: ModelData): Tensor[] {
  ensureModelBuilt(model, x);
  const xs = toTensorList(fn, 'x', x, model.inputNames, 'input') as Tensor[];
  xs.forEach((t, i) => {
    const name = xs.length === 1 ? 'x' : `x['${model.inputNames[i]}']`;
    if (t.isDisposed) throw new StrataError(`${fn}: ${name} was disposed; pass live tensors.`);
    if (t.rank === 0) throw new StrataError(`${fn}: ${name} is a scalar; inputs need a first (batch) dimension. Reshape it to [numSamples, ...].`);
    if (t.shape[0] !== xs[0]!.shape[0]) {
      throw new StrataError(`${fn}: x['${model.inputNames[0]}'] has ${xs[0]!.shape[0]} samples but ${name} has ${t.shape[0]} (shapes ${fmtShape(xs[0]!.shape)} and ${fmtShape(t.shape)}); every input needs one entry per sample.`);
    }
    model.checkInputShape(i, t.shape);
  });
  return xs;
}

function runInference(model: LayersModel, xs: readonly Tensor[]): Tensor[] {
  return tidy(() => {
    const out = model.run(xs, false);
    // Activity penalties mean nothing at inference; take them so they are freed.
    dispose(model.takeCallLosses());
    return out;
  });
}

/**
 * Runs the model in inference mode on `x` batch by batch and concatenates the outputs (Keras
 * `predict`): one tensor, or one per output for models with several. The caller owns the result.
 *
 * @example
 * const probs = await predictModel(model, xTest, { batchSize: 128 }) as Tensor;
 */
export async function predictModel(model: LayersModel, x: ModelData, args: PredictArgs = {}): Promise<Tensor | Tensor[]> {
  checkKeys('predict', args, ['batchSize', 'verbose', 'steps', 'callbacks', 'progressStream']);
  const batchSize = positiveInt('predict', 'batchSize', args.batchSize, 32);
  const steps = args.steps === undefined ? undefined : positiveInt('predict', 'steps', args.steps, 1);
  const verbose = verbosity('predict', args.verbose, 0, 1);
  const userCallbacks = toCallbacks('predict', args.callbacks);
  const xs = prepareInputs('predict', model, x);
  const size = xs[0]!.shape[0]!;
  const numBatches = Math.min(steps ?? Infinity, Math.ceil(size / batchSize));
  const list = [...userCallbacks];
  if (verbose > 0) list.push(new ProgbarLogger({ stream: args.progressStream, kind: 'predict' }));
  const callbacks = new CallbackList(list, model, { steps: numBatches, samples: size, batchSize, verbose });
  const parts: Tensor[][] = model.outputs.map(() => []);
  try {
    await callbacks.onPredictBegin({});
    for (let b = 0; b < numBatches; b++) {
      await callbacks.onBatchBegin('predict', b, {});
      const start = b * batchSize;
      const n = Math.min(batchSize, size - start);
      const outs = tidy(() => runInference(model, numBatches === 1 && n === size ? xs : xs.map((t) => slice(t, start, n))));
      outs.forEach((t, i) => parts[i]!.push(t));
      await callbacks.onBatchEnd('predict', b, {});
    }
    const result = parts.map((p) => (p.length === 1 ? p[0]! : keep(tidy(() => concat(p, 0)))));
    await callbacks.onPredictEnd({});
    for (const p of parts) if (p.length > 1) dispose(p);
    return result.length === 1 ? result[0]! : result;
  } catch (e) {
    for (const p of parts) dispose(p);
    throw e;
  }
}

/**
 * The model's outputs for one batch, in inference mode (Keras `predict_on_batch`).
 *
 * @example
 * const y = predictOnBatchModel(model, xBatch) as Tensor;
 */
export function predictOnBatchModel(model: LayersModel, x: ModelData): Tensor | Tensor[] {
  const xs = prepareInputs('predictOnBatch', model, x);
  const outs = runInference(model, xs);
  return outs.length === 1 ? outs[0]! : outs;
}
