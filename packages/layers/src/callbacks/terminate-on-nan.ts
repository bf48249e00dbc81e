import type { Logs } from '../training/types.js';
import { Callback, type BatchKind } from './callback.js';

/**
 * Stops training as soon as a batch's loss is NaN or infinite (Keras `TerminateOnNaN`). It reads
 * the loss after every training batch, which waits for the engine each step.
 *
 * @example
 * await model.fit(x, y, { epochs: 10, callbacks: [callbacks.terminateOnNaN()] });
 */
export class TerminateOnNaN extends Callback {
  static readonly className = 'TerminateOnNaN';
  /** The batch whose loss was not finite, or null. */
  terminatedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {
    super();
  }

  override wantsBatchLogs(kind: BatchKind): boolean {
    return kind === 'train';
  }

  override onTrainBegin(): void {
    this.terminatedAt = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.print(`Batch ${batch}: Invalid loss, terminating training`);
      this.terminatedAt = { epoch: this.epoch, batch };
      this.model!.stopTraining = true;
    }
  }
}
