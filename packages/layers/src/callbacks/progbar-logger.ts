import type { Logs, ProgressStream } from '../training/types.js';
import { Callback, type BatchKind } from './callback.js';
import { formatEta, formatLogs, formatStepTime } from './format.js';

/** Options of `ProgbarLogger`. */
export interface ProgbarLoggerArgs {
  /** Where to write (default `process.stdout`, or `console.log` lines where there is no process). */
  stream?: ProgressStream;
  /** 1: a bar redrawn in place on a TTY, one line per epoch otherwise; 2: always one line per epoch. */
  verbose?: 1 | 2;
  /** Which loop it reports: `fit` epochs, an `evaluate` run, or a `predict` run. */
  kind?: BatchKind;
  /** Least seconds between two redraws of the bar (default 0.05, as Keras). */
  interval?: number;
}

const WIDTH = 30;

/**
 * The stream progress goes to when none is given: `process.stdout` in Node, lines through
 * `console.log` elsewhere.
 *
 * @example
 * defaultProgressStream().write('Epoch 1/3\n');
 */
export function defaultProgressStream(): ProgressStream {
  const proc = (globalThis as { process?: { stdout?: ProgressStream } }).process;
  if (proc?.stdout && typeof proc.stdout.write === 'function') return proc.stdout;
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) console.log(line);
    },
  };
}

/**
 * Keras' progress bar, `12/47 [=====>........................] - ETA: 3s - loss: 0.4123`: the bar
 * for `current` of `target` steps, `=` for done and `>` at the head.
 *
 * @example
 * progressBar(12, 47); // '12/47 [======>.......................]'
 */
export function progressBar(current: number, target: number): string {
  const digits = String(target).length;
  const progWidth = Math.floor((WIDTH * current) / target);
  let bar = `${String(current).padStart(digits)}/${target} [`;
  if (progWidth > 0) bar += '='.repeat(progWidth - 1) + (current < target ? '>' : '=');
  return `${bar}${'.'.repeat(WIDTH - progWidth)}]`;
}

/**
 * Prints training progress (Keras `ProgbarLogger`); `fit`, `evaluate` and `predict` install one
 * when `verbose` is not 0. On a TTY (`stream.isTTY`) with verbose 1 it redraws a bar in place
 * (`\r`), at most every `interval` seconds, and ends each epoch with its time, time per step and
 * every log including `val_` ones; otherwise it writes one line per epoch:
 * `Epoch 3/10 - 2s - loss: 0.4123 - val_loss: 0.5012`. Only the bar needs batch logs, so without
 * a TTY nothing is read from the engine during an epoch.
 *
 * @example
 * const out: string[] = [];
 * const bar = new ProgbarLogger({ stream: { isTTY: false, write: (s) => out.push(s) } });
 * await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [bar] });
 */
export class ProgbarLogger extends Callback {
  static readonly className = 'ProgbarLogger';
  readonly stream: ProgressStream;
  readonly verbose: 1 | 2;
  readonly kind: BatchKind;
  readonly interval: number;
  private start = 0;
  private lastDraw = -Infinity;
  private seen = 0;
  private drawnWidth = 0;
  private epochs = 0;

  constructor(args: ProgbarLoggerArgs = {}) {
    super();
    this.stream = args.stream ?? defaultProgressStream();
    this.verbose = args.verbose ?? 1;
    this.kind = args.kind ?? 'train';
    this.interval = args.interval ?? 0.05;
  }

  /** True when the bar is redrawn in place. */
  get live(): boolean {
    return this.verbose === 1 && this.stream.isTTY === true;
  }

  private get target(): number {
    return this.params.steps ?? 0;
  }

  override wantsBatchLogs(kind: BatchKind, batch: number): boolean {
    if (kind !== this.kind || !this.live || kind === 'predict') return false;
    return now() - this.lastDraw >= this.interval || batch + 1 >= this.target;
  }

  private begin(): void {
    this.start = now();
    this.lastDraw = -Infinity;
    this.seen = 0;
    this.drawnWidth = 0;
  }

  private draw(line: string, final: boolean): void {
    const pad = Math.max(0, this.drawnWidth - line.length);
    this.stream.write(`\r${line}${' '.repeat(pad)}${final ? '\n' : ''}`);
    this.drawnWidth = final ? 0 : line.length;
    this.lastDraw = now();
  }

  private update(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    if (!this.live) return;
    const read = Object.keys(logs).length > 0;
    if (!read && !(this.kind === 'predict' && now() - this.lastDraw >= this.interval)) return;
    const perStep = (now() - this.start) / this.seen;
    const eta = this.target > 0 ? ` - ETA: ${formatEta(perStep * (this.target - this.seen))}` : '';
    this.draw(`${progressBar(this.seen, Math.max(this.target, this.seen))}${eta}${formatLogs(logs)}`, false);
  }

  private finish(logs: Logs, prefix: string): void {
    const elapsed = now() - this.start;
    const steps = Math.max(this.seen, 1);
    if (this.live) {
      this.draw(`${progressBar(this.seen, Math.max(this.target, this.seen))} - ${elapsed.toFixed(0)}s ${formatStepTime(elapsed / steps)}${formatLogs(logs)}`, true);
    } else {
      this.stream.write(`${prefix} - ${elapsed.toFixed(0)}s${formatLogs(logs)}\n`);
    }
  }

  override onTrainBegin(): void {
    this.epochs = this.params.epochs ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    if (this.kind !== 'train') return;
    this.begin();
    if (this.live) this.stream.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    if (this.kind === 'train') this.update(batch, logs);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.kind === 'train') this.finish(logs, `Epoch ${epoch + 1}/${this.epochs}`);
  }

  override onTestBegin(): void {
    if (this.kind === 'test') this.begin();
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (this.kind === 'test') this.update(batch, logs);
  }

  override onTestEnd(logs: Logs): void {
    if (this.kind === 'test') this.finish(logs, `${this.seen}/${Math.max(this.target, this.seen)}`);
  }

  override onPredictBegin(): void {
    if (this.kind === 'predict') this.begin();
  }

  override onPredictBatchEnd(batch: number, logs: Logs): void {
    if (this.kind === 'predict') this.update(batch, logs);
  }

  override onPredictEnd(): void {
    if (this.kind === 'predict') this.finish({}, `${this.seen}/${Math.max(this.target, this.seen)}`);
  }
}

function now(): number {
  return performance.now() / 1000;
}
