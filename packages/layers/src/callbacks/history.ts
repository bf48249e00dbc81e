import type { History as HistoryRecord, Logs } from '../training/types.js';
import { Callback } from './callback.js';

/**
 * Records each epoch's logs (Keras `History`). `fit` always installs one, last in the list so it
 * sees keys other callbacks add, and resolves to it.
 *
 * @example
 * const history = await model.fit(x, y, { epochs: 3, verbose: 0 });
 * history.history.loss; // [0.69, 0.52, 0.41]
 * history.epoch;        // [0, 1, 2]
 */
export class History extends Callback implements HistoryRecord {
  history: Record<string, number[]> = {};
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
