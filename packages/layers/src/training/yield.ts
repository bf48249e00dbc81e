import { StrataError } from '@strata/core';

/** When `fit` lets other work (timers, rendering, I/O) run between steps (TF.js `yieldEvery`). */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** TF.js's frame for `'auto'`: yield once this many milliseconds have passed. */
const AUTO_MS = 125;

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Yields to the event loop on the schedule `yieldEvery` asks for. A training loop whose steps
 * never wait for the engine would otherwise hold the thread for the whole `fit`, freezing a page
 * or starving timers.
 *
 * @example
 * const yielder = new Yielder('fit', 'auto');
 * await yielder.afterBatch();
 */
export class Yielder {
  private readonly mode: 'batch' | 'epoch' | 'never' | 'time';
  private readonly everyMs: number;
  private last = performance.now();

  constructor(fn: string, value: unknown) {
    if (value === undefined || value === 'auto') {
      this.mode = 'time';
      this.everyMs = AUTO_MS;
    } else if (value === 'batch' || value === 'epoch' || value === 'never') {
      this.mode = value;
      this.everyMs = 0;
    } else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      this.mode = 'time';
      this.everyMs = value;
    } else {
      throw new StrataError(`${fn}: option 'yieldEvery' must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0; received ${JSON.stringify(value)}.`);
    }
  }

  /** Called after each batch. */
  async afterBatch(): Promise<void> {
    if (this.mode === 'batch') return macrotask();
    if (this.mode === 'time' && performance.now() - this.last >= this.everyMs) {
      await macrotask();
      this.last = performance.now();
    }
  }

  /** Called after each epoch. */
  async afterEpoch(): Promise<void> {
    if (this.mode === 'epoch') return macrotask();
  }
}
