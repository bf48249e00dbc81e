import { Tensor, add, keep, mean, mul, stopGradient, sum, tidy, variableGrads } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { CompiledModel } from './compile.js';
import type { DataSet } from './data.js';
import type { Logs } from './types.js';

/**
 * A running sum of per-batch values weighted by batch size, kept on the engine so that a step
 * never waits for a read; the mean is read when logs are needed (Keras' loss tracker, a `Mean`
 * updated with `sampleWeight = batchSize`).
 *
 * @example
 * const loss = new RunningMean();
 * tidy(() => loss.add(batchLoss, 32));
 * loss.state; // { total: <scalar tensor>, count: 32 }
 */
export class RunningMean {
  private total: Tensor | null = null;
  private count = 0;

  /** Adds `value` (a scalar) for `n` samples; call inside `tidy`. */
  add(value: Tensor, n: number): void {
    const next = keep(this.total ? add(this.total, mul(value, n)) : mul(value, n));
    this.total?.dispose();
    this.total = next;
    this.count += n;
  }

  /** The sum tensor (null before any update) and the sample count. */
  get state(): { total: Tensor | null; count: number } {
    return { total: this.total, count: this.count };
  }

  reset(): void {
    this.total?.dispose();
    this.total = null;
    this.count = 0;
  }
}

/**
 * The running losses of a run: the total, and one per output for models with several outputs.
 *
 * @example
 * const trackers = new LossTrackers(compiled);
 * trainStep(model, compiled, batch, trackers);
 * const logs = await readLogs(compiled, trackers);
 * trackers.reset();
 */
export class LossTrackers {
  readonly total = new RunningMean();
  readonly outputs: (RunningMean | null)[];

  constructor(compiled: CompiledModel) {
    const multi = compiled.losses.length > 1;
    this.outputs = compiled.losses.map((l) => (multi && l ? new RunningMean() : null));
  }

  reset(): void {
    this.total.reset();
    for (const t of this.outputs) t?.reset();
  }
}

function scalar(x: Tensor): Tensor {
  return x.rank === 0 ? x : mean(x);
}

/**
 * The weighted total loss of one batch (Keras 3): `sum(lossWeights[i] * loss_i)` over outputs with
 * a loss, plus the weight regularization penalties and the activity losses the forward pass
 * added. Updates the loss trackers and the metrics on the way (through `stopGradient`, so none of
 * that is taped). Call inside `tidy`.
 */
function batchLoss(model: LayersModel, compiled: CompiledModel, preds: readonly Tensor[], batch: DataSet, trackers: LossTrackers): Tensor {
  const parts: Tensor[] = [];
  preds.forEach((pred, i) => {
    const loss = compiled.losses[i];
    if (!loss) return;
    const value = scalar(loss.compute(batch.ys[i]!, pred, batch.sws[i]));
    trackers.outputs[i]?.add(stopGradient(value), batch.size);
    const w = compiled.lossWeights[i]!;
    parts.push(w === 1 ? value : mul(value, w));
  });
  for (const penalty of model.regularizationLosses()) parts.push(scalar(penalty));
  for (const activity of model.takeCallLosses()) parts.push(sum(activity));
  const total = parts.reduce((a, b) => add(a, b));
  trackers.total.add(stopGradient(total), batch.size);
  compiled.metrics?.forEach((row, i) => {
    if (row.length === 0) return;
    const pred = stopGradient(preds[i]!);
    for (const m of row) m.updateState(batch.ys[i]!, pred);
  });
  return total;
}

/**
 * One training step, as a single synchronous `tidy`: forward pass in training mode, loss,
 * gradients of the trainable weights, the optimizer update, weight constraints, and the metric
 * and loss-tracker updates. Nothing is read back from the engine.
 *
 * @example
 * trainStep(model, compiled, batch, trackers);
 */
export function trainStep(model: LayersModel, compiled: CompiledModel, batch: DataSet, trackers: LossTrackers): void {
  tidy(() => {
    const vars = model.trainableWeights;
    const { grads } = variableGrads(() => {
      const preds = model.run(batch.xs, true);
      return batchLoss(model, compiled, preds, batch, trackers);
    }, vars);
    compiled.optimizer.applyGradients(vars.map((v) => ({ variable: v, gradient: grads[v.name]! })));
    model.applyConstraints();
  });
}

/**
 * One evaluation step in a single `tidy`: forward pass in inference mode, loss, and the metric and
 * loss-tracker updates.
 *
 * @example
 * testStep(model, compiled, batch, trackers);
 */
export function testStep(model: LayersModel, compiled: CompiledModel, batch: DataSet, trackers: LossTrackers): void {
  tidy(() => {
    const preds = model.run(batch.xs, false);
    batchLoss(model, compiled, preds, batch, trackers);
  });
}

/**
 * Reads the running losses and the metric results into logs (Keras names: `loss`,
 * `<output>_loss`, metrics), waiting for the engine once for all of them.
 *
 * @example
 * const logs = await readLogs(compiled, trackers);
 */
export async function readLogs(compiled: CompiledModel, trackers: LossTrackers): Promise<Logs> {
  const names: string[] = [];
  const counts: number[] = [];
  const tensors: (Tensor | null)[] = [];
  const lossNames = compiled.lossNames;
  const loss = [trackers.total, ...trackers.outputs.filter((t): t is NonNullable<typeof t> => t !== null)];
  loss.forEach((t, k) => {
    names.push(lossNames[k]!);
    counts.push(t.state.count);
    tensors.push(t.state.total);
  });
  const results: Tensor[] = [];
  compiled.metrics?.forEach((row, i) => row.forEach((m, j) => {
    const r = m.result();
    results.push(r);
    names.push(compiled.metricNames[i]![j]!);
    counts.push(1);
    tensors.push(r);
  }));
  try {
    const values = await Promise.all(tensors.map((t) => t?.data()));
    const logs: Logs = {};
    names.forEach((name, k) => {
      const v = values[k];
      if (v === undefined) logs[name] = 0;
      else if (v.length === 1) logs[name] = v[0]! / counts[k]!;
      // A vector result (F1Score per class) is logged one entry per element: name_0, name_1, ...
      else v.forEach((x, i) => (logs[`${name}_${i}`] = x));
    });
    return logs;
  } finally {
    for (const r of results) r.dispose();
  }
}
